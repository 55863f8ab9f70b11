#include "store/sql/user_repository.hpp"

#include <soci/soci.h>

#include <string>

#include "common/errors.hpp"
#include "store/sql/bound_list.hpp"
#include "store/sql/transaction.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kInsertUser =
    "INSERT INTO users (username, email, password_hash, is_staff, date_joined) "
    "VALUES (:username, :email, :password_hash, :is_staff, :date_joined)";
constexpr std::string_view kInsertEmptyProfile =
    "INSERT INTO profiles (user_id, nickname, avatar) VALUES (:user_id, NULL, NULL)";
constexpr std::string_view kSelectUserById =
    "SELECT id, username, email, password_hash, is_staff, date_joined FROM users WHERE id = :id";
constexpr std::string_view kSelectUserByUsername =
    "SELECT id, username, email, password_hash, is_staff, date_joined FROM users "
    "WHERE username = :username";
constexpr std::string_view kSelectUserByEmail =
    "SELECT id, username, email, password_hash, is_staff, date_joined FROM users "
    "WHERE email = :email";
constexpr std::string_view kSelectUsersByIdIn =  // followed by "(:v0, ...)"
    "SELECT id, username, email, password_hash, is_staff, date_joined FROM users WHERE id IN ";
constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users";
constexpr std::string_view kSelectNewestUsers =
    "SELECT id, username, email, password_hash, is_staff, date_joined FROM users "
    "ORDER BY date_joined DESC, id DESC LIMIT :limit OFFSET :offset";

// One row of the users table in SOCI's exchange types.
struct UserRow {
  long long id = 0;
  std::string username;
  std::string email;
  std::string password_hash;
  int is_staff = 0;
  long long date_joined = 0;

  template <class Statement>
  void bind_into(Statement& statement) {
    statement, soci::into(id), soci::into(username), soci::into(email), soci::into(password_hash),
        soci::into(is_staff), soci::into(date_joined);
  }

  domain::User to_user() const {
    return domain::User{id, username, email, password_hash, is_staff != 0, date_joined};
  }
};

template <class Key>
std::optional<domain::User> find_one(Database& database, std::string_view sql, const Key& key) {
  return database.run([&](soci::session& session) -> std::optional<domain::User> {
    UserRow row;
    soci::details::prepare_temp_type query = (session.prepare << sql);
    row.bind_into(query);
    query, soci::use(key);
    soci::statement statement(query);
    if (!statement.execute(true)) return std::nullopt;
    return row.to_user();
  });
}

// Runs a query whose parameters are all 64-bit integers and collects every row.
std::vector<domain::User> fetch_all(soci::session& session, const std::string& sql,
                                    std::vector<long long>& params) {
  UserRow row;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  row.bind_into(query);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<domain::User> users;
  while (statement.fetch()) users.push_back(row.to_user());
  return users;
}

}  // namespace

domain::User SqlUserRepository::create(const domain::NewUser& user) {
  try {
    return database_.run([&](soci::session& session) {
      const int is_staff = user.is_staff ? 1 : 0;
      const long long date_joined = user.date_joined;
      WriteTransaction transaction(session, database_.dialect());
      session << kInsertUser, soci::use(user.username), soci::use(user.email),
          soci::use(user.password_hash), soci::use(is_staff), soci::use(date_joined);
      long long id = 0;
      if (!session.get_last_insert_id("users", id)) {
        throw std::runtime_error("the database did not report the new user's id");
      }
      session << kInsertEmptyProfile, soci::use(id);
      transaction.commit();
      return domain::User{
          id, user.username, user.email, user.password_hash, user.is_staff, user.date_joined};
    });
  } catch (const DuplicateKey& duplicate) {
    // The unique indexes are named after their columns (migrations.cpp).
    if (duplicate.field.find("email") != std::string::npos) throw DuplicateKey("email");
    if (duplicate.field.find("username") != std::string::npos) throw DuplicateKey("username");
    throw;
  }
}

std::optional<domain::User> SqlUserRepository::find_by_id(domain::UserId id) {
  const long long key = id;
  return find_one(database_, kSelectUserById, key);
}

std::optional<domain::User> SqlUserRepository::find_by_username(
    std::string_view lowercase_username) {
  return find_one(database_, kSelectUserByUsername, std::string(lowercase_username));
}

std::optional<domain::User> SqlUserRepository::find_by_email(std::string_view lowercase_email) {
  return find_one(database_, kSelectUserByEmail, std::string(lowercase_email));
}

std::vector<domain::User> SqlUserRepository::find_many(const std::vector<domain::UserId>& ids) {
  if (ids.empty()) return {};
  return database_.run([&](soci::session& session) {
    std::vector<domain::User> users;
    for (std::vector<long long>& chunk : id_chunks(ids)) {
      for (domain::User& user :
           fetch_all(session, with_placeholders(kSelectUsersByIdIn, chunk.size()), chunk)) {
        users.push_back(std::move(user));
      }
    }
    return users;
  });
}

std::int64_t SqlUserRepository::count() {
  return database_.run([](soci::session& session) {
    long long total = 0;
    session << kCountUsers, soci::into(total);
    return static_cast<std::int64_t>(total);
  });
}

std::vector<domain::User> SqlUserRepository::list_newest(std::int64_t offset, std::int64_t limit) {
  if (limit <= 0) return {};
  std::vector<long long> params{limit, offset < 0 ? 0 : offset};
  return database_.run([&](soci::session& session) {
    return fetch_all(session, std::string(kSelectNewestUsers), params);
  });
}

}  // namespace chirp::store::sql
