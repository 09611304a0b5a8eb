import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The check every `--cpu`-like option of `tp` makes before anything starts: the CPU must exist on this machine.
enum CPUOption {
    /// Throws a usage error naming `flag` when `cpu` is set and is not one of this machine's online CPUs.
    static func validate(_ cpu: Int32?, flag: String) throws {
        guard let cpu else { return }
        let cpus = Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if cpu < 0 || cpu >= cpus { throw ValidationError("\(flag) \(cpu): this machine has CPUs 0...\(cpus - 1)") }
    }
}
