import Foundation
import Testing

/// Temporary files and folders for the test targets, removed when the test that made them ends.

/// Removes what a test made with `temporaryPath`/`temporaryFolder` when the test ends, pass or fail
/// (each case of a parameterized test on its own). Suites that make temporary files are marked
/// `@Suite(.removesTemporaryFiles)`.
public struct RemovesTemporaryFiles: SuiteTrait, TestTrait, TestScoping {
    /// The paths the running test made.
    final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []

        func add(_ path: String) { lock.withLock { paths.append(path) } }

        func removeAll() {
            for path in lock.withLock({ paths }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    @TaskLocal static var made: Made?

    public init() {}

    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let made = Made()
        defer { made.removeAll() }
        try await Self.$made.withValue(made, operation: function)
    }
}

extension Trait where Self == RemovesTemporaryFiles {
    public static var removesTemporaryFiles: Self { Self() }
}

/// A fresh path under the temporary folder (nothing is created there); whatever the test puts there is removed when it ends.
public func temporaryPath(_ prefix: String, suffix: String = "") -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)").path
    if let made = RemovesTemporaryFiles.made {
        made.add(path)
    } else {
        Issue.record("\(path) is made outside a suite marked .removesTemporaryFiles: it would be left behind")
    }
    return path
}

/// A fresh empty folder under the temporary folder, removed with its contents when the test ends.
public func temporaryFolder(_ prefix: String) throws -> String {
    let path = temporaryPath(prefix)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
