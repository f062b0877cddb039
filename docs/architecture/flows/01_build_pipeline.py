"""How `make diagrams` turns one flow source into files: the one-way data flow of diagram-dsl."""

from __future__ import annotations

from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Build Pipeline",
    description="One flow from its source module to committed files: every stage reads what the previous one "
                "produced and never reaches back.",
    scores=Scores(solution_quality=9, implementation_difficulty=5, performance_level="Very High"),
    when_to_use=["Finding where a stage of diagram-dsl lives"],
    important_points=["Data flows one way: source, model, findings, text and layout, canvases, files"],
)

developer = flow.actor("Developer")
cli = flow.boundary("diagram-dsl build")
with flow.box("diagram_dsl", color="#EEF5FF"):
    staleness = flow.control("build/staleness")
    catalog = flow.control("catalog")
    dsl = flow.participant("dsl (sources/*.py)")
    validator = flow.control("validate")
    emitters = flow.participant("emit")
with flow.box("diagram_dsl.renderers", color="#F3EEFF"):
    layout = flow.participant("native layout")
    canvases = flow.participant("PNG / SVG canvases")
files = flow.database("output folder")

with developer.call(cli, "make diagrams") as build:
    with cli.call(staleness, "what changed? (hashes only)") as plan:
        staleness.step("source, code and settings\nhashes vs the manifest")
        plan.reply("stale flows")
    with flow.break_("nothing stale"):
        build.reply("unchanged, in < 0.3 s")
    with cli.call(catalog, "load the stale flows") as load:
        with catalog.call(dsl, "run each module in isolation") as run:
            dsl.step("`with` blocks record;\nnothing is drawn yet")
            run.reply("immutable FlowModel\n(file:line on every element)")
        load.reply("models, or located load errors")
    with cli.call(validator, "validate(model)") as check:
        validator.step("control-flow graph +\none dataflow pass")
        check.reply("findings at file:line")
    with flow.alt("errors"):
        build.reply("exit 1: the flow is not drawn")
    with flow.else_("valid"):
        cli.call(emitters, "emit PlantUML, Mermaid").reply(".puml, .mmd text")
        with cli.call(layout, "lay out the model") as place:
            layout.step("columns from a constraint solver,\nrows from a cursor and a fragment stack")
            place.reply("positioned shapes and text")
        cli.call(canvases, "draw the layout").reply("PNG and SVG bytes")
        cli.call(files, "atomic writes + manifest").reply("written")
        build.reply("built N, exit 0")
