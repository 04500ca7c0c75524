using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.Sqlite;

public sealed class SqliteGrainStorageConformanceTests(SqliteStoreFixture store)
    : GrainStorageConformance<SqliteStoreFixture>(store), IClassFixture<SqliteStoreFixture>;
