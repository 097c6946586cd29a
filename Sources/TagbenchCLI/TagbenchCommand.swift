/// placeholder
public enum TagbenchCommand { public static func main() {} }
