from tradeshield.cli import main

main()
