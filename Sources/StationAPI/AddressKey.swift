import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The key under which a client address is rate limited and counted. An IPv4 address is itself;
/// an IPv6 address is its /64 (one customer's whole network, which can hold 2^64 addresses);
/// an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 address.
enum AddressKey {
    static func of(_ address: String) -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return address }
        var v6 = in6_addr()
        let text = address.split(separator: "%", maxSplits: 1).first.map(String.init) ?? address  // zone id: fe80::1%eth0
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return address }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
