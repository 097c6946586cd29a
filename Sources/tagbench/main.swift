import TagbenchCLI
import TagbenchCore

HugePages.prepareHeap()
TagbenchCommand.main()
