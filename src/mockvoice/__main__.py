from mockvoice.cli.main import main

main()
