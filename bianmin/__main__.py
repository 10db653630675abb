from bianmin.cli import main

main()
