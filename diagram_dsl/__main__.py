from diagram_dsl.entry import run

run()
