import TagbenchCLI
import TagbenchCore

TagbenchCommand.main()
