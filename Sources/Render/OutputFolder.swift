#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LeanPulseCore
import Synchronization

/// The report folder being written: plain POSIX writes (no per-file Foundation overhead at 80,000 pages),
/// and a record of every file written for the manifest.
final class OutputFolder {
    let root: String
    private(set) var written: [(path: String, bytes: Int)] = []
    /// Once requested, the concurrent writers start no further file (the caller then discards the folder).
    var interruption: Interruption?
    /// Told after each chunk of `writeConcurrently` how many of its files are written and their bytes so far (a
    /// terminal's progress line); called from the writing threads.
    var progress: ReportWriter.Progress?

    init(root: String) throws(RenderError) {
        var info = stat()
        guard stat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RenderError("the report folder does not exist or is not a folder", path: root)
        }
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// A view of the same folder with its own record of files written (for `writeInParallel`).
    private init(checkedRoot: String) {
        root = checkedRoot
    }

    /// Creates a sub-folder (no error when it exists).
    func makeFolder(_ relative: String) throws(RenderError) {
        let path = root + "/" + relative
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw RenderError("cannot create folder: \(String(cString: strerror(errno)))", path: path)
        }
    }

    /// Writes `text` as UTF-8 to `relative` (created or truncated) and records its size.
    func write(_ text: String, to relative: String) throws(RenderError) {
        written.append((relative, try OutputFolder.writeFile(text, to: root + "/" + relative)))
    }

    /// Writes a CSV file row by row: `rows` appends to a table that passes its text to the file every few MB.
    func writeCSV(header: [String], to relative: String, rows: (inout CSVTable) -> Void) throws(RenderError) {
        let path = root + "/" + relative
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw RenderError("cannot create file: \(String(cString: strerror(errno)))", path: path) }
        let sink = CSVSink(fd: fd)
        var table = CSVTable(header: header, sink: sink)
        rows(&table)
        table.flush()
        let closed = close(fd) == 0
        if let failure = sink.failure { throw RenderError(failure, path: path) }
        guard closed else { throw RenderError("cannot close file: \(String(cString: strerror(errno)))", path: path) }
        written.append((relative, sink.bytes))
    }

    /// Writes `text` as UTF-8 to `path`; returns the byte count.
    static func writeFile(_ text: String, to path: String) throws(RenderError) -> Int {
        var text = text
        let failure = text.withUTF8 { failureWriting($0, to: path) }
        if let failure { throw RenderError(failure, path: path) }
        return text.utf8.count
    }

    /// Writes `buffer` to `path`; returns the byte count.
    static func writeFile(_ buffer: UnsafeBufferPointer<UInt8>, to path: String) throws(RenderError) -> Int {
        if let failure = failureWriting(buffer, to: path) { throw RenderError(failure, path: path) }
        return buffer.count
    }

    /// Creates or truncates `path` and writes `buffer` to it; the error message, nil when it worked.
    private static func failureWriting(_ buffer: UnsafeBufferPointer<UInt8>, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return "cannot create file: \(String(cString: strerror(errno)))" }
        if let failure = writeAll(buffer, to: fd) {
            close(fd)
            return failure
        }
        if close(fd) != 0 { return "cannot close file: \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Writes all of `buffer` to `fd` (retrying short and interrupted writes); the error message, nil when it worked.
    static func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) -> String? {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc_write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot write file: \(String(cString: strerror(errno)))"
            }
            offset += n
        }
        return nil
    }
}

/// Where a streamed `CSVTable` goes: an open file; the first write error is kept and reported by `writeCSV`.
final class CSVSink {
    static let chunkBytes = 4 << 20
    private let fd: Int32
    private(set) var bytes = 0
    private(set) var failure: String?

    init(fd: Int32) { self.fd = fd }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil else { return }
        failure = OutputFolder.writeAll(bytes, to: fd)
        if failure == nil { self.bytes += bytes.count }
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, buffer, count)
}

extension OutputFolder {
    /// Produces and writes `count` files on all cores, in chunks; records them in index order. `make(i, page)` appends
    /// file `i`'s bytes to `page` (empty, one buffer per chunk, reused from file to file) and returns its path.
    func writeConcurrently(count: Int, _ make: @Sendable (Int, ByteBuffer) throws(RenderError) -> String) throws(RenderError) {
        guard count > 0 else { return }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        // Small chunks, so that the cores finish together: at the end one core may be alone with the last chunk.
        let chunks = min(count, workers * 64)
        let results = ChunkResults(count: chunks)
        let (root, interruption, progress) = (self.root, self.interruption, self.progress)
        let tally = WrittenTally()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            results.record(chunk) { () throws(RenderError) in
                let lower = chunk * count / chunks, upper = (chunk + 1) * count / chunks
                var done: [(path: String, bytes: Int)] = []
                done.reserveCapacity(upper - lower)
                let page = ByteBuffer(capacity: 64 * 1024)
                var bytes = 0
                for i in lower..<upper {
                    if interruption?.requested != nil { break }
                    page.removeAll()
                    let path = try make(i, page)
                    let written = try OutputFolder.writeFile(page.contents, to: root + "/" + path)
                    done.append((path, written))
                    bytes += written
                }
                if let progress {
                    let (files, total) = tally.add(files: done.count, bytes: bytes)
                    progress(files, count, total)
                }
                return done
            }
        }
        written += try results.files()
    }
}

extension OutputFolder {
    /// Runs `jobs` on all cores, each writing its own files into this folder, and records what each wrote (in job
    /// order); the first failing job's error is thrown once all have ended.
    func writeInParallel(_ jobs: [@Sendable (OutputFolder) throws -> Void]) throws(RenderError) {
        let results = ChunkResults(count: jobs.count)
        let (root, interruption) = (self.root, self.interruption)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results.record(i) {
                if interruption?.requested != nil { return [] }
                // Each job writes through a folder of its own, so that its record of files needs no lock.
                let part = OutputFolder(checkedRoot: root)
                try jobs[i](part)
                return part.written
            }
        }
        written += try results.files()
    }
}

/// Files and bytes written so far by the chunks of a concurrent write, for progress.
private final class WrittenTally: Sendable {
    private let files = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)

    /// Adds a chunk's files and bytes; the totals after it.
    func add(files count: Int, bytes size: Int) -> (files: Int, bytes: Int) {
        (files.add(count, ordering: .relaxed).newValue, bytes.add(size, ordering: .relaxed).newValue)
    }
}

/// The files each chunk (or job) of a concurrent write wrote, or its error; behind a lock.
private final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[(path: String, bytes: Int)], RenderError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Runs chunk `i`'s work and keeps what it wrote or why it failed.
    func record(_ i: Int, _ work: () throws -> [(path: String, bytes: Int)]) {
        let result: Result<[(path: String, bytes: Int)], RenderError>
        do {
            result = .success(try work())
        } catch let error as RenderError {
            result = .failure(error)
        } catch {
            result = .failure(RenderError("\(error)"))
        }
        lock.withLock { slots[i] = result }
    }

    /// Every chunk's files in chunk order; the first chunk's error (in chunk order) once all have ended.
    func files() throws(RenderError) -> [(path: String, bytes: Int)] {
        var files: [(path: String, bytes: Int)] = []
        for slot in lock.withLock({ slots }) {
            switch slot {
            case .success(let written): files += written
            case .failure(let error): throw error
            case nil: throw RenderError("an output was not written")
            }
        }
        return files
    }
}
