from sambrief.cli import main

main()
