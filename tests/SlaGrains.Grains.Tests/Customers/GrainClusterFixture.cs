namespace SlaGrains.Grains.Tests.Customers;

/// <summary>One two-silo SQLite cluster shared by the tests of a class (each test uses its own grain ids).</summary>
public sealed class GrainClusterFixture() : SqliteClusterFixture(2, "slagrains-customers-");
