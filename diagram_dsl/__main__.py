from diagram_dsl.cli import main

main()
