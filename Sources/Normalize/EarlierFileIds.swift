/// The idea ids of the files of one source read before the current one (a glob of several ideas logs), with where
/// each was first: an idea listed in two files counts once, as one listed twice in a file does (`RepeatedIds`), and the
/// later record's finding names the file. Kept only for sources of several files (a single log pays nothing).
public final class EarlierFileIds {
    private var places: [String: (file: String, line: Int)] = [:]

    public init() {}

    /// Where `id` was first accepted in an earlier file, or nil.
    func place(of id: UnsafeBufferPointer<UInt8>) -> (file: String, line: Int)? {
        places.isEmpty ? nil : places[String(decoding: id, as: UTF8.self)]
    }

    /// Remembers an accepted id of the file being read (for the files after it).
    func add(_ id: UnsafeBufferPointer<UInt8>, file: String, line: Int) {
        let key = String(decoding: id, as: UTF8.self)
        if places[key] == nil { places[key] = (file, line) }
    }
}
