import TagbenchCLI
import TagbenchCore

OpenFileLimit.ensure()
TagbenchCommand.main()
