import TagbenchCLI
TagbenchCommand.main()
