import Foundation
import HummingbirdBcrypt
import Logging
import NIOPosix

/// What `onair-api user add|list|remove|passwd` (and `onair user ...`) do to the accounts in the
/// service's database. Errors are one sentence the operator can act on.
public struct UserAdmin: Sendable {
    let database: Database
    let bcryptCost: UInt8

    public static func open(dataDir: String, logger: Logger, bcryptCost: UInt8 = 12) async throws -> UserAdmin {
        UserAdmin(database: try await Database.open(dataDir: dataDir, logger: logger), bcryptCost: bcryptCost)
    }

    public func close() async { await database.close() }

    public func add(name: String, role: User.Role, password: String) async throws -> User {
        if let problem = User.validationError(name: name) { throw UserAdminError(problem) }
        if let problem = APIService.passwordError(password) { throw UserAdminError(problem) }
        if try await database.user(named: name) != nil {
            throw UserAdminError("user '\(name)' already exists (change the password with: onair user passwd \(name))")
        }
        let user = try await database.addUser(name: name, role: role, passwordHash: try await hash(password))
        try await database.audit(actor: "operator", action: "user-add", detail: "\(name) (\(role.rawValue))")
        return user
    }

    public func list() async throws -> [User] { try await database.users() }

    public func remove(name: String) async throws {
        guard try await database.removeUser(named: name) else { throw UserAdminError("there is no user '\(name)' (see: onair user list)") }
        try await database.audit(actor: "operator", action: "user-remove", detail: name)
    }

    public func setPassword(name: String, password: String) async throws {
        if let problem = APIService.passwordError(password) { throw UserAdminError(problem) }
        guard try await database.setPassword(name: name, passwordHash: try await hash(password)) else {
            throw UserAdminError("there is no user '\(name)' (see: onair user list)")
        }
        try await database.audit(actor: "operator", action: "user-passwd", detail: name)
    }

    func hash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}

public struct UserAdminError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
