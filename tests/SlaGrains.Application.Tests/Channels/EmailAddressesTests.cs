using SlaGrains.Application.Channels;

namespace SlaGrains.Application.Tests.Channels;

/// <summary>The one rule for the email addresses people enter.</summary>
public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("morgan.lee@example.com", "morgan.lee@example.com")]
    [InlineData("  Ops+SLA@Sub.Example.co.uk ", "Ops+SLA@Sub.Example.co.uk")]
    [InlineData("root@localhost", "root@localhost")]
    public void A_bare_address_is_kept_trimmed(string given, string stored)
    {
        Assert.Equal(stored, EmailAddresses.Normalize(given));
    }

    [Theory]
    [InlineData("")]
    [InlineData("morgan")]
    [InlineData("@example.com")]
    [InlineData("morgan@")]
    [InlineData("a@b@example.com")]
    [InlineData("Morgan Lee <morgan@example.com>")]
    [InlineData("morgan lee@example.com")]
    [InlineData("morgan@exa_mple.com")]
    [InlineData("morgan@-example.com")]
    [InlineData("morgan@example..com")]
    [InlineData("morgan@example.com\n")]
    [InlineData("mor\u0007gan@example.com")]
    public void Anything_else_is_refused(string given)
    {
        Assert.Null(EmailAddresses.Normalize(given));
    }

    [Fact]
    public void An_address_longer_than_254_characters_is_refused()
    {
        Assert.Null(EmailAddresses.Normalize(new string('a', 243) + "@example.com"));
        Assert.NotNull(EmailAddresses.Normalize(new string('a', 242) + "@example.com"));
    }

    [Fact]
    public void A_refusal_names_the_field()
    {
        var errors = new InputErrors();

        var stored = EmailAddresses.Check(errors, "email", "nope");

        Assert.Null(stored);
        Assert.True(errors.ToDictionary().ContainsKey("email"));
    }
}
