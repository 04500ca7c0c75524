using SlaGrains.Contracts.Customers;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.StatusPages;

public sealed class StatusPageSettingsSerializationTests
{
    [Fact]
    public void A_status_page_setting_and_its_directory_entry_round_trip_as_stored_and_sent()
    {
        var entry = new StatusPageEntry("acme-corp", new StatusPageSettings("acme", Enabled: true, ShowAvailability: true));

        foreach (var (way, value) in BothWays(entry))
        {
            Assert.True(entry == value, way);
        }

        Assert.False(ThroughBytes(new StatusPageSettings("globex", Enabled: false)).ShowAvailability);
    }
}
