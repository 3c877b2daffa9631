#if canImport(Glibc)
import Glibc
#endif

/// What Linux lets this process use, read from procfs and cgroupfs (Glibc's Swift overlay
/// does not import sched_getaffinity). nil where the file is absent or unreadable.
enum SystemCPUs {
    /// The CPUs in this process's affinity mask ("Cpus_allowed_list: 0-3,8" in
    /// /proc/self/status).
    static func affinityCount() -> Int? {
        guard let text = read("/proc/self/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            return count(cpuList: line.dropFirst("Cpus_allowed_list:".count))
        }
        return nil
    }

    /// Counts a kernel CPU list such as "0-3,8,10-11" (nil if malformed).
    static func count(cpuList: Substring) -> Int? {
        var total = 0
        for part in cpuList.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int(String($0.filter { !$0.isWhitespace })) }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; total += 1
            case 2:
                guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }
                total += high - low + 1
            default: return nil
            }
        }
        return total > 0 ? total : nil
    }

    /// ceil(quota / period) from cgroup v2's cpu.max ("max 100000" means no quota).
    static func cgroupQuota() -> Int? {
        guard let text = read("/sys/fs/cgroup/cpu.max") else { return nil }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let quota = Int(fields[0]), let period = Int(fields[1]), quota > 0, period > 0 else {
            return nil
        }
        return max(1, (quota + period - 1) / period)
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = fread(&chunk, 1, chunk.count, file)
            if got <= 0 { break }
            bytes += chunk[0..<got]
            if bytes.count > 1 << 20 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
