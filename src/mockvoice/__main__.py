from mockvoice.cli import main

main()
