import Foundation
import Hummingbird

extension APIService {
    /// `GET /api/users` (admin).
    func listUsers(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await requireUser(request, roles: [.admin])
        return try Self.json(["users": try await database.users()])
    }

    /// `POST /api/users` (admin): adds a DJ or admin.
    func addUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let admin = try await requireUser(request, roles: [.admin])
        let body = try await body(NewUser.self, request)
        if let problem = User.validationError(name: body.username) { throw APIError.badRequest("bad_username", problem) }
        if let problem = Self.passwordError(body.password) { throw APIError.badRequest("bad_password", problem) }
        if try await database.user(named: body.username) != nil {
            throw APIError(.conflict, code: "user_exists", "user '\(body.username)' already exists")
        }
        let user = try await database.addUser(name: body.username, role: body.role, passwordHash: try await hash(password: body.password))
        try await database.audit(actor: admin.name, action: "user-add", detail: "\(user.name) (\(user.role.rawValue))")
        return try Self.json(user, status: .created)
    }

    /// `DELETE /api/users/NAME` (admin; not oneself).
    func removeUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let admin = try await requireUser(request, roles: [.admin])
        let name = context.parameters.get("name") ?? ""
        if name.lowercased() == admin.name.lowercased() {
            throw APIError(.conflict, code: "cannot_remove_self", "you cannot remove your own account; ask another admin or use onair user remove")
        }
        guard try await database.removeUser(named: name) else {
            throw APIError(.notFound, code: "no_such_user", "there is no user '\(name)'")
        }
        try await database.audit(actor: admin.name, action: "user-remove", detail: name)
        return try Self.json(["removed": name])
    }

    /// `POST /api/users/NAME/password` (admin): sets a password and signs that user out everywhere.
    func setPassword(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let admin = try await requireUser(request, roles: [.admin])
        let name = context.parameters.get("name") ?? ""
        let body = try await body(NewPassword.self, request)
        if let problem = Self.passwordError(body.password) { throw APIError.badRequest("bad_password", problem) }
        guard try await database.setPassword(name: name, passwordHash: try await hash(password: body.password)) else {
            throw APIError(.notFound, code: "no_such_user", "there is no user '\(name)'")
        }
        try await database.audit(actor: admin.name, action: "user-passwd", detail: name)
        return try Self.json(["password_set": name])
    }
}
