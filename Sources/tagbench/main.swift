import TagbenchCLI
import TagbenchCore

ArgumentEncoding.ensureUTF8()
OpenFileLimit.ensure()
TagbenchCommand.main()
