// snapshot create --anonymize against a real PostgreSQL 15 holding the
// Soulstone schema, seeded by `db seed`'s library: the refusal of unmarked
// personal-looking columns, no personal value in the file or in the database
// stock pg_restore makes of it, joins and other columns intact, fakes that
// depend on the salt only, and the record of columns seen.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "archive/dump_format.hpp"
#include "archive/file_sink.hpp"
#include "archive/fingerprint.hpp"
#include "archive/pipeline.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "migrate/diff.hpp"
#include "model/from_schema.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "postgres_env.hpp"
#include "psl/psl.hpp"
#include "seed/seed.hpp"
#include "snapshot/snapshot.hpp"
#include "sql/render.hpp"

namespace soulstone::snapshot {
namespace {

namespace fs = std::filesystem;
using soulstone::testing::fresh_database;

const std::string kSchema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
const std::string kSeedToml = SOULSTONE_SOURCE_DIR "/apps/api/prisma/seed.toml";
const std::string kSaltA = "salt-a-0123456789abcdef";
const std::string kSaltB = "salt-b-0123456789abcdef";

struct Marked {
  std::string table;
  std::string column;
  bool json = false;
};

// The columns the schema marks, read here from the schema itself.
std::vector<Marked> marked_columns(const psl::Schema& schema) {
  std::vector<Marked> out;
  for (const psl::Model& model : schema.models)
    for (const psl::Field& field : model.fields)
      if (auto pii = field.pii(); pii && *pii != "none")
        out.push_back({std::string(model.database_name()), std::string(field.database_name()),
                       field.type.name == "Json"});
  return out;
}

pg::ConnInfo soulstone_database(bool seeded) {
  pg::ConnInfo url = fresh_database("anon");
  psl::Schema schema = psl::load(kSchema);
  model::Schema model = model::from_schema(schema);
  pg::Connection connection = pg::Connection::open(url);
  connection.exec(sql::render_script(migrate::diff(model::Schema{}, model)));
  if (seeded)
    (void)seed::load(connection,
                     seed::make_plan(schema, model, seed::load_config(kSeedToml), {.seed = 1, .scale = 0.04}),
                     {});
  return url;
}

std::string copy_text(pg::Connection& connection, const std::string& query) {
  std::string out;
  pg::CopyOut copy = connection.copy_out("COPY (" + query + ") TO STDOUT");
  while (auto row = copy.next())
    out.append(*row);
  return out;
}

pg::Connection open_utc(const pg::ConnInfo& url) {
  pg::Connection connection = pg::Connection::open(url);
  connection.exec("SET TimeZone = 'UTC'; SET extra_float_digits = 3");
  return connection;
}

// The pg_dump archive inside a snapshot file, decompressed.
std::string plain_dump(const fs::path& file) {
  archive::StringSink plain;
  archive::ArchiveReader reader(&plain, std::nullopt);
  archive::stream_file(file, reader);
  return plain.text();
}

// The README's recipe: zstd -d, then stock pg_restore.
void stock_restore(const fs::path& file, const pg::ConnInfo& target, int jobs) {
  fs::path plain = file.string() + ".plain";
  auto unzstd = pg::run({.argv = {"zstd", "-d", "-q", "-f", file.string(), "-o", plain.string()}});
  ASSERT_TRUE(unzstd.status.ok()) << unzstd.err;
  auto restore =
      pg::run({.argv = {pg::tool_path("pg_restore"), "--no-owner", "--exit-on-error",
                        "--jobs=" + std::to_string(jobs), "--dbname=" + target.url(), plain.string()}});
  ASSERT_TRUE(restore.status.ok()) << restore.err;
}

std::int64_t count(const pg::ConnInfo& url, const std::string& sql) {
  return std::stoll(std::string(pg::Connection::open(url).exec(sql).get(0, 0)));
}

class AnonymizeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    source_ = new pg::ConnInfo(soulstone_database(true));
    schema_ = new psl::Schema(psl::load(kSchema));
  }
  static void TearDownTestSuite() {
    delete schema_;
    delete source_;
  }

  AnonymizeOptions options(const std::string& salt) const {
    return {.schema = kSchema, .salt = salt, .columns_record = dir_.path() / "state" / "columns.json"};
  }

  static pg::ConnInfo* source_;
  static psl::Schema* schema_;
  TempDir dir_{"soulstone-test-anonymize-"};
  fs::path file_ = dir_.path() / "anon.dump.zst";
};

pg::ConnInfo* AnonymizeTest::source_ = nullptr;
psl::Schema* AnonymizeTest::schema_ = nullptr;

TEST_F(AnonymizeTest, AnUnmarkedPersonalColumnIsRefusedByNameAndNothingIsWritten) {
  // The schema without Cart.sessionToken's marker, and a column the schema
  // does not know.
  std::ifstream in(kSchema);
  std::string text{std::istreambuf_iterator<char>(in), {}};
  const std::string marker = "  /// @pii(token)\n";
  text.erase(text.find(marker), marker.size());
  std::size_t at = text.find("  sessionToken");
  std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
  fs::path schema = dir_.path() / "schema.prisma";
  std::ofstream(schema) << text;
  pg::ConnInfo source = soulstone_database(false);
  pg::Connection::open(source).exec("ALTER TABLE users ADD COLUMN home_address text");

  AnonymizeOptions settings = options(kSaltA);
  settings.schema = schema;
  try {
    (void)create(source, {.file = file_, .anonymize = settings});
    FAIL() << "the snapshot was taken";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(
        std::string(error.what()),
        "snapshot create --anonymize refused: 2 column(s) look personal but carry no /// @pii marker:\n"
        "  Cart.sessionToken (" +
            schema.string() + ":" + std::to_string(line) +
            ":3): its name says token\n"
            "  public.users.home_address (in the database only, not in the schema): its name says address");
  }
  EXPECT_FALSE(fs::exists(file_));
  EXPECT_FALSE(fs::exists(settings.columns_record));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), {}), 1);  // the schema alone: no temporary
}

TEST_F(AnonymizeTest, WithoutASaltNothingIsWritten) {
  try {
    (void)create(*source_, {.file = file_, .anonymize = options("")});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              "snapshot create --anonymize needs a salt, and SOULSTONE_ANONYMIZE_SALT is not set");
  }
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(AnonymizeTest, NoPersonalValueReachesTheFileOrTheRestoredDatabase) {
  CreateResult created = create(*source_, {.file = file_, .anonymize = options(kSaltA)});
  ASSERT_TRUE(created.anonymized);
  EXPECT_EQ(created.anonymized->marked_columns, 20u);
  EXPECT_EQ(created.anonymized->tables, 5u);  // users, addresses, carts, orders, reviews
  EXPECT_GT(created.anonymized->values, 1000);
  const std::string plain = plain_dump(file_);
  pg::ConnInfo restored = fresh_database("anon_restored");
  stock_restore(file_, restored, 1);

  auto source = open_utc(*source_);
  auto target = open_utc(restored);
  std::vector<Marked> marked = marked_columns(*schema_);
  // The table of contents holds no row, but numbers of its own (OIDs,
  // sequence values) that a short value can coincide with.
  std::string restored_text, baseline = plain.substr(0, archive::parse_dump_head(plain)->size);
  std::set<std::string> values;  // as COPY prints them, so as the file holds them
  for (const model::Table& table : model::from_schema(*schema_).tables) {
    std::string name = source.quote_identifier(table.name), others;
    for (const model::Column& column : table.columns) {
      auto is = [&](const Marked& m) { return m.table == table.name && m.column == column.name; };
      auto found = std::find_if(marked.begin(), marked.end(), is);
      std::string quoted = source.quote_identifier(column.name);
      if (found == marked.end()) {
        others += (others.empty() ? "" : ", ") + quoted;
        continue;
      }
      pg::CopyOut copy = source.copy_out("COPY (SELECT DISTINCT " + quoted + " FROM " + name + " WHERE " +
                                         quoted + " IS NOT NULL) TO STDOUT");
      while (auto row = copy.next()) {
        std::string value(row->substr(0, row->size() - 1));
        values.insert(value);
        if (!found->json) continue;
        nlohmann::json document = nlohmann::json::parse(value);
        for (const auto& [key, leaf] : document.items())
          if (leaf.is_string()) values.insert(leaf.get<std::string>());
      }
    }
    // What the rest of the data holds by itself: a short value found there
    // (a postal code inside a UUID) is a coincidence, not a leak.
    if (!others.empty()) baseline += copy_text(source, "SELECT " + others + " FROM " + name);
    restored_text += copy_text(target, "SELECT * FROM " + name);
  }
  std::size_t checked = 0, coincidences = 0;
  for (const std::string& value : values) {
    if (value.size() < 4) continue;
    if (baseline.find(value) != std::string::npos) {
      ++coincidences;
      continue;
    }
    ++checked;
    EXPECT_EQ(plain.find(value), std::string::npos) << "in the snapshot: " << value;
    EXPECT_EQ(restored_text.find(value), std::string::npos) << "in the restored database: " << value;
  }
  RecordProperty("values_searched", static_cast<int>(checked));
  RecordProperty("coincidences", static_cast<int>(coincidences));
  EXPECT_GT(checked, 1000u);
  EXPECT_LT(coincidences * 20, checked) << coincidences << " values also occur outside @pii columns";

  // Joins on anonymised values match as often as on the originals.
  for (const char* join :
       {"SELECT count(*) FROM orders o JOIN users u ON u.email = o.email",
        "SELECT count(*) FROM addresses a JOIN users u ON u.full_name = a.recipient",
        "SELECT count(*) FROM reviews r JOIN users u ON r.author_name IN (u.display_name, u.full_name)"}) {
    std::int64_t before = count(*source_, join);
    EXPECT_GT(before, 0) << join;
    EXPECT_EQ(count(restored, join), before) << join;
  }
  EXPECT_EQ(count(restored, "SELECT count(DISTINCT email) FROM users"),
            count(*source_, "SELECT count(DISTINCT email) FROM users"));

  // Every other column is unchanged: rows and fingerprints of the rest.
  for (const model::Table& table : model::from_schema(*schema_).tables) {
    std::string columns;
    for (const model::Column& column : table.columns) {
      bool is_marked = std::any_of(marked.begin(), marked.end(), [&](const Marked& m) {
        return m.table == table.name && m.column == column.name;
      });
      if (!is_marked) columns += (columns.empty() ? "" : ", ") + source.quote_identifier(column.name);
    }
    std::string query = "SELECT " + columns + " FROM " + source.quote_identifier(table.name);
    archive::TableFingerprint before, after;
    before.add(copy_text(source, query));
    after.add(copy_text(target, query));
    before.finish();
    after.finish();
    EXPECT_EQ(after.rows(), before.rows()) << table.name;
    EXPECT_EQ(after.hex(), before.hex()) << table.name;
  }
}

TEST_F(AnonymizeTest, FakesDependOnTheSaltOnlyAndNewColumnsAreReported) {
  CreateResult first = create(*source_, {.file = file_, .anonymize = options(kSaltA)});
  EXPECT_TRUE(first.anonymized->first_record);
  EXPECT_TRUE(fs::exists(options(kSaltA).columns_record));
  CreateResult again = create(*source_, {.file = file_, .replace = true, .anonymize = options(kSaltA)});
  EXPECT_FALSE(again.anonymized->first_record);
  EXPECT_TRUE(again.anonymized->new_columns.empty());
  CreateResult other = create(*source_, {.file = file_, .replace = true, .anonymize = options(kSaltB)});
  std::set<std::string> with_pii = {"addresses", "carts", "orders", "reviews", "users"};
  ASSERT_EQ(first.table_stats.size(), again.table_stats.size());
  ASSERT_EQ(first.table_stats.size(), other.table_stats.size());
  for (std::size_t i = 0; i < first.table_stats.size(); ++i) {
    const std::string& table = first.table_stats[i].name;
    EXPECT_EQ(again.table_stats[i].fingerprint, first.table_stats[i].fingerprint) << table;
    EXPECT_EQ(other.table_stats[i].rows, first.table_stats[i].rows) << table;
    if (with_pii.contains(table))
      EXPECT_NE(other.table_stats[i].fingerprint, first.table_stats[i].fingerprint) << table;
    else
      EXPECT_EQ(other.table_stats[i].fingerprint, first.table_stats[i].fingerprint) << table;
  }

  pg::ConnInfo source = soulstone_database(false);
  fs::path record = dir_.path() / "own-record.json";
  AnonymizeOptions settings = options(kSaltA);
  settings.columns_record = record;
  (void)create(source, {.file = file_, .replace = true, .anonymize = settings});
  pg::Connection::open(source).exec("ALTER TABLE users ADD COLUMN loyalty_points int");
  CreateResult grown = create(source, {.file = file_, .replace = true, .anonymize = settings});
  EXPECT_EQ(grown.anonymized->new_columns, std::vector<std::string>{"public.users.loyalty_points"});
}

TEST_F(AnonymizeTest, AProductionSourceMayBeAnonymisedButNotCopied) {
  pg::ConnInfo source = soulstone_database(false);
  auto connection = pg::Connection::open(source);
  pg::write_mark(connection, pg::Environment::Production);
  EXPECT_THROW((void)create(source, {.file = file_}), Error);
  EXPECT_FALSE(fs::exists(file_));
  CreateResult created = create(source, {.file = file_, .anonymize = options(kSaltA)});
  EXPECT_TRUE(fs::exists(file_));
  EXPECT_TRUE(created.anonymized);
}

TEST_F(AnonymizeTest, TheCommandLineReadsTheSaltFromTheEnvironmentAndPrintsJson) {
  pg::Command command{
      .argv = {SOULSTONE_BINARY, "--json", "snapshot", "create", file_.string(), "--anonymize", "--schema",
               kSchema, "--columns-record", (dir_.path() / "cols.json").string()},
      .env = {{"DATABASE_URL", source_->url()}, {"SOULSTONE_ANONYMIZE_SALT", ""}}};
  pg::RunResult refused = pg::run(command);
  EXPECT_EQ(refused.status.code, 3) << refused.out << refused.err;
  EXPECT_FALSE(fs::exists(file_));

  command.env[1].second = kSaltA;
  pg::RunResult done = pg::run(command);
  ASSERT_TRUE(done.status.ok()) << done.err;
  nlohmann::json out = nlohmann::json::parse(done.out);
  EXPECT_EQ(out["anonymized"]["marked_columns"], 20);
  EXPECT_EQ(out["anonymized"]["tables"], 5);
  EXPECT_EQ(out["anonymized"]["first_record"], true);
  EXPECT_EQ(out["anonymized"]["new_columns"], nlohmann::json::array());

  // The archive inside is whole and restores with stock pg_restore --jobs.
  pg::ConnInfo restored = fresh_database("anon_jobs");
  stock_restore(file_, restored, 2);
  EXPECT_EQ(count(restored, "SELECT count(*) FROM orders"), count(*source_, "SELECT count(*) FROM orders"));
}

}  // namespace
}  // namespace soulstone::snapshot
