namespace SlaGrains.Ui.Services;

/// <summary>
/// Re-issues the sign-in cookie of the person on a request as signed in with a second factor (after they confirmed
/// an enrolment with a code): an admin who had to enrol may then use everything. The server implements it (it owns
/// the cookie's claims); the security page calls it while handling its form post, before the response starts.
/// </summary>
public interface ITwoFactorSession
{
    /// <summary>Re-issues <paramref name="http"/>'s cookie as verified.</summary>
    Task MarkVerifiedAsync(Microsoft.AspNetCore.Http.HttpContext http);
}
