"""File Upload Process: validate, upload straight to storage with a pre-signed URL, scan, then publish or quarantine."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=14,
    title="File Upload Process",
    description="Secure file upload process with validation, virus scanning, and storage management.",
    scores=Scores(solution_quality=8, implementation_difficulty=6, performance_level="Medium"),
    when_to_use=[
        "Document management systems",
        "Media upload platforms",
        "User-generated content",
        "File sharing applications",
    ],
    important_points=[
        "Validate file types and sizes",
        "Implement virus scanning",
        "Use secure storage",
        "Handle upload failures",
        "Provide progress feedback",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Architecture Patterns", "Content management"),
        GuideEntry("Performance Levels", "Medium Performance", "Content handling"),
    ],
)

user = flow.actor("User")
web = flow.boundary("Web App")
api = flow.participant("Upload API")
storage = flow.database("Object Storage")
files_db = flow.database("Files DB")
scanner = flow.control("Virus Scanner")

with user.call(web, "choose report.pdf (12 MB)") as choose:
    web.step("quick client check: type, size\n(feedback only, not trusted)")
    with web.call(api, "POST /uploads\n{name, type, size}") as init:
        api.step("allow-list type, size ≤ 50 MB,\nuser quota")
        with flow.break_("type or size not allowed"):
            init.reply("422 unsupported type / too large")
            choose.reply("show reason")
        api.call(files_db, "INSERT file f-9 (UPLOADING)").reply("ok")
        api.step("pre-sign PUT for uploads/f-9:\n10 min, exact type, max size")
        init.reply("201 {fileId, part URLs}")
    with flow.loop("for each 5 MB part"):
        with web.call(storage, "PUT part n (pre-signed URL)") as part:
            part.reply("ETag n / network error")
        with flow.opt("part failed"):
            web.call(storage, "retry PUT part n (backoff)").reply("ETag n")
        web.send(user, "progress: n x 5 MB of 12 MB")
    with web.call(api, "POST /uploads/f-9/complete\n(part ETags)") as complete:
        api.call(storage, "complete multipart upload").reply("object stored")
        api.call(files_db, "status = SCANNING").reply("ok")
        api.send(scanner, "scan uploads/f-9")
        complete.reply("202 scanning")
    choose.reply("'Uploaded, checking for viruses…'")

flow.note(
    "private bucket, encrypted at rest,\n"
    "random keys; never served from\n"
    "uploads/; parts of abandoned\n"
    "uploads expire by lifecycle rule",
    over=storage,
)

flow.divider("Virus scan, asynchronously")

scanner.call(storage, "GET uploads/f-9").reply("bytes")
scanner.step("scan: signatures + file\nmagic bytes match type")
with flow.alt("clean"):
    scanner.send(api, "ScanResult f-9: clean")
    api.call(storage, "move to files/f-9").reply("ok")
    api.call(files_db, "status = AVAILABLE").reply("ok")
    api.send(web, "push: report.pdf is ready")
    web.send(user, "file available")
with flow.else_("infected"):
    scanner.send(api, "ScanResult f-9: infected")
    api.call(storage, "move to quarantine/f-9\n(no read access)").reply("ok")
    api.call(files_db, "status = QUARANTINED").reply("ok")
    api.send(web, "push: report.pdf rejected")
    web.send(user, "file blocked: malware found")
