using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.Sqlite;

public sealed class SqliteReminderTableConformanceTests(SqliteStoreFixture store)
    : ReminderTableConformance<SqliteStoreFixture>(store), IClassFixture<SqliteStoreFixture>;
