from sambrief.cli.app import main

main()
