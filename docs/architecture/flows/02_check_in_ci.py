"""What `diagram-dsl check` does in CI: validate flows, compare outputs by hash, lint the docs."""

from __future__ import annotations

from diagram_dsl import Flow, Scores

flow = Flow(
    number=2,
    title="Check in CI",
    description="The lint CI trusts: flows valid, committed outputs current, Markdown links and inline diagrams "
                "right — without rendering anything.",
    scores=Scores(solution_quality=9, implementation_difficulty=5, performance_level="High"),
    when_to_use=["Understanding why CI failed on a diagram"],
    important_points=["check never renders, never reaches the network and reads nothing outside the project"],
)

ci = flow.actor("CI job")
cli = flow.boundary("diagram-dsl check")
with flow.box("diagram_dsl", color="#EEF5FF"):
    catalog = flow.control("catalog")
    validator = flow.control("validate")
    outputs = flow.control("checks/outputs")
    docs = flow.control("checks/doc_links")
    importers = flow.participant("importers")
tools = flow.participant("real PlantUML / Mermaid parsers")

with ci.call(cli, "diagram-dsl check --format github") as run:
    with cli.call(catalog, "load every flow") as load:
        load.reply("models + load errors (SEQ000)")
    with cli.call(validator, "validate each flow") as validate:
        validate.reply("SEQ1xx findings")
    with cli.call(outputs, "outputs current?") as current:
        outputs.step("source, code, settings and\noutput hashes vs the manifest")
        current.reply("OUT30x: missing, stale, orphaned")
    with cli.call(docs, "lint Markdown") as lint:
        docs.step("image links judged against\nthe catalog (DOC20x)")
        with flow.loop("each inline mermaid / plantuml block"):
            with docs.call(importers, "import the block") as imported:
                imported.reply("model, validated like a flow")
            with docs.call(tools, "parse it (sandboxed)") as parsed:
                parsed.reply("accepted, or DOC210 at its line")
        lint.reply("DOC findings")
    cli.step("sort findings by file:line")
    with flow.alt("any error"):
        run.reply("annotations, exit 1")
    with flow.else_("clean"):
        run.reply("exit 0")
