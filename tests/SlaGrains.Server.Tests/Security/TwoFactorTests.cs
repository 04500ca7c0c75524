using System.Net;
using System.Net.Http.Json;
using OtpNet;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Two-factor sign-in over real HTTP: the test enrols, reads the secret the server made and computes the codes itself
/// (Otp.NET) at the server's SLA clock, which it moves from one 30-second step to the next.
/// </summary>
public sealed class TwoFactorTests(TwoFactorTests.World server) : IClassFixture<TwoFactorTests.World>
{
    [Fact]
    public async Task Enrolment_gives_a_secret_uri_and_qr_code_and_a_right_code_turns_it_on_with_ten_recovery_codes()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "tf-enrol", "technician");
        using var person = await server.SignInAsync("tf-enrol", ServerScenario.Password("tf-enrol"));

        var before = await (await ServerScenario.Ok(person.Http.GetAsync("api/v1/me/two-factor"))).JsonAsync();
        var started = await (await ServerScenario.Ok(person.Http.PostAsync("api/v1/me/two-factor/enrolment", null))).JsonAsync();
        var secret = started.GetProperty("secret").GetString()!;
        var wrong = await person.Http.PostAsJsonAsync("api/v1/me/two-factor/enrolment/confirm", new { code = Other(server.Code(secret)) });
        var confirmed = await (await ServerScenario.Ok(person.Http.PostAsJsonAsync("api/v1/me/two-factor/enrolment/confirm", new { code = server.Code(secret) }))).JsonAsync();
        var after = await (await ServerScenario.Ok(person.Http.GetAsync("api/v1/me/two-factor"))).JsonAsync();

        Assert.False(before.GetProperty("enabled").GetBoolean());
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length); // 160 bits
        Assert.Equal($"otpauth://totp/SlaGrains:tf-enrol?secret={secret}&issuer=SlaGrains", started.GetProperty("otpAuthUri").GetString());
        Assert.StartsWith("<svg", started.GetProperty("qrCodeSvg").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", started.GetProperty("qrCodeSvg").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(10, confirmed.GetProperty("recoveryCodes").GetArrayLength());
        Assert.Equal(10, confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()).Distinct().Count());
        Assert.True(after.GetProperty("enabled").GetBoolean());
        Assert.Equal(10, after.GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task With_two_factor_on_the_password_alone_gives_no_session_and_the_code_signs_in()
    {
        var secret = await server.EnrolledAsync("tf-signin");
        server.NextStep();

        var (client, _) = Bare();
        var first = await client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "tf-signin", password = ServerScenario.Password("tf-signin") });
        var body = await first.JsonAsync();
        var meBefore = await client.GetAsync("api/v1/auth/me");
        var second = await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation = body.GetProperty("continuation").GetString(), code = server.Code(secret) });
        var meAfter = await client.GetAsync("api/v1/auth/me");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.True(body.GetProperty("twoFactorRequired").GetBoolean());
        Assert.False(first.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("slagrains.auth", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, meBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("tf-signin", (await meAfter.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_wrong_code_a_forged_continuation_and_a_missing_code_are_refused()
    {
        var secret = await server.EnrolledAsync("tf-wrong");
        server.NextStep();
        var continuation = await server.ContinuationAsync("tf-wrong");
        var (client, _) = Bare();

        var wrong = await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation, code = Other(server.Code(secret)) });
        var forged = await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation = continuation + "x", code = server.Code(secret) });
        var missing = await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation });
        var overlong = await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation, code = new string('1', 500) });
        var me = await client.GetAsync("api/v1/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True((await forged.JsonAsync()).GetProperty("errors").TryGetProperty("continuation", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, overlong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_code_counts_once_even_within_its_step()
    {
        var secret = await server.EnrolledAsync("tf-replay");
        server.NextStep();
        var code = server.Code(secret);

        var first = await server.SecondStepAsync("tf-replay", code);
        var replayed = await server.SecondStepAsync("tf-replay", code);
        server.NextStep();
        var next = await server.SecondStepAsync("tf-replay", server.Code(secret));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task The_code_confirming_enrolment_cannot_sign_in_again_and_a_step_either_side_is_accepted()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "tf-drift", "manager");
        using var person = await server.SignInAsync("tf-drift", ServerScenario.Password("tf-drift"));
        server.NextStep();
        var secret = (await (await ServerScenario.Ok(person.Http.PostAsync("api/v1/me/two-factor/enrolment", null))).JsonAsync()).GetProperty("secret").GetString()!;
        var confirming = server.Code(secret);
        await ServerScenario.Ok(person.Http.PostAsJsonAsync("api/v1/me/two-factor/enrolment/confirm", new { code = confirming }));

        var reused = await server.SecondStepAsync("tf-drift", confirming);
        server.NextStep();
        var aheadOfServer = await server.SecondStepAsync("tf-drift", server.Code(secret, steps: 1));
        var twoAhead = await server.SecondStepAsync("tf-drift", server.Code(secret, steps: 2));

        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aheadOfServer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, twoAhead.StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (_, codes) = await server.EnrolledWithCodesAsync("tf-recovery");
        var recovery = codes[3];

        var first = await server.SecondStepAsync("tf-recovery", code: null, recovery);
        var again = await server.SecondStepAsync("tf-recovery", code: null, recovery);
        var upperCaseOther = await server.SecondStepAsync("tf-recovery", code: null, codes[4].ToUpperInvariant().Replace("-", " ", StringComparison.Ordinal));
        using var person = await server.SessionAfterTwoFactorAsync("tf-recovery", null, codes[5]);
        var status = await (await ServerScenario.Ok(person.Http.GetAsync("api/v1/me/two-factor"))).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upperCaseOther.StatusCode);
        Assert.Equal(7, status.GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task Five_wrong_codes_delay_the_name_even_against_the_right_code()
    {
        var secret = await server.EnrolledAsync("tf-brute");
        server.NextStep();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await server.SecondStepAsync("tf-brute", Other(server.Code(secret)))).StatusCode);
        }

        var right = await server.SecondStepAsync("tf-brute", server.Code(secret));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Turning_it_off_needs_a_code_and_an_admin_reset_is_recorded_and_ends_the_users_sessions()
    {
        var secret = await server.EnrolledAsync("tf-off");
        server.NextStep();
        using var person = await server.SessionAfterTwoFactorAsync("tf-off", server.Code(secret), null);
        var withoutCode = await person.Http.PostAsJsonAsync("api/v1/me/two-factor/disable", new { });
        var wrongCode = await person.Http.PostAsJsonAsync("api/v1/me/two-factor/disable", new { code = Other(server.Code(secret)) });
        server.NextStep();
        await ServerScenario.Ok(person.Http.PostAsJsonAsync("api/v1/me/two-factor/disable", new { code = server.Code(secret) }));
        using var anonymous = server.Anonymous();
        var passwordOnly = await anonymous.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "tf-off", password = ServerScenario.Password("tf-off") });

        var secret2 = await server.EnrolledAsync("tf-reset");
        server.NextStep();
        using var victim = await server.SessionAfterTwoFactorAsync("tf-reset", server.Code(secret2), null);
        using var admin = await server.AdminAsync();
        var reset = await (await ServerScenario.Ok(admin.Http.DeleteAsync("api/v1/users/tf-reset/two-factor"))).JsonAsync();
        var victimAfter = await victim.Http.GetAsync("api/v1/auth/me");
        var ownReset = await admin.Http.DeleteAsync("api/v1/users/admin/two-factor");
        using var technician = await server.SignInAsync("tf-off", ServerScenario.Password("tf-off"));
        var notAdmin = await technician.Http.DeleteAsync("api/v1/users/tf-reset/two-factor");

        Assert.Equal(HttpStatusCode.BadRequest, withoutCode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.OK, passwordOnly.StatusCode);
        Assert.False(reset.GetProperty("enabled").GetBoolean());
        Assert.Contains(reset.GetProperty("history").EnumerateArray(), e => e.GetProperty("by").GetString() == "admin" && e.GetProperty("what").GetString() == "reset by an admin");
        Assert.Equal(HttpStatusCode.Unauthorized, victimAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ownReset.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    private (HttpClient Client, CookieContainer Cookies) Bare()
    {
        var cookies = new CookieContainer();
        return (new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress }, cookies);
    }

    /// <summary>A six-digit code that is not <paramref name="code"/>.</summary>
    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The server with a movable SLA clock, and the steps of enrolling and signing in with codes.</summary>
    public class World : MovableClockServer
    {
        /// <summary>The TOTP code of <paramref name="secret"/> at the server's now, moved by whole steps.</summary>
        public string Code(string secret, int steps = 0)
            => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(Clock.GetUtcNow().UtcDateTime.AddSeconds(30 * steps));

        /// <summary>Moves the server's clock to a second into the next 30-second step: codes of "now" stay the same for the rest of the test.</summary>
        public void NextStep()
        {
            var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
            Clock.Advance(TimeSpan.FromMilliseconds(30_000 - (now % 30_000) + 1_000));
        }

        /// <summary>A technician (made by the admin) with two-factor sign-in on; its secret.</summary>
        public async Task<string> EnrolledAsync(string userName) => (await EnrolledWithCodesAsync(userName)).Secret;

        public async Task<(string Secret, string[] RecoveryCodes)> EnrolledWithCodesAsync(string userName)
        {
            using (var admin = await AdminAsync())
            {
                await ServerScenario.UserAsync(admin.Http, userName, "technician");
            }

            using var person = await SignInAsync(userName, ServerScenario.Password(userName));
            NextStep();
            var secret = (await (await ServerScenario.Ok(person.Http.PostAsync("api/v1/me/two-factor/enrolment", null))).JsonAsync()).GetProperty("secret").GetString()!;
            var confirmed = await (await ServerScenario.Ok(person.Http.PostAsJsonAsync("api/v1/me/two-factor/enrolment/confirm", new { code = Code(secret) }))).JsonAsync();
            return (secret, [.. confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!)]);
        }

        /// <summary>The continuation the password step answers.</summary>
        public async Task<string> ContinuationAsync(string userName)
        {
            using var client = Anonymous();
            var response = await client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password = ServerScenario.Password(userName) });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("continuation").GetString()!;
        }

        /// <summary>Password, then the code: the second step's answer.</summary>
        public async Task<HttpResponseMessage> SecondStepAsync(string userName, string? code, string? recoveryCode = null)
        {
            var continuation = await ContinuationAsync(userName);
            using var client = Anonymous();
            return await client.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation, code, recoveryCode });
        }

        /// <summary>A session signed in with password and code, sending the anti-forgery header on changes.</summary>
        public async Task<Session> SessionAfterTwoFactorAsync(string userName, string? code, string? recoveryCode)
        {
            var continuation = await ContinuationAsync(userName);
            var cookies = new CookieContainer();
            using (var bare = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = BaseAddress })
            {
                await ServerScenario.Ok(bare.PostAsJsonAsync("api/v1/auth/sign-in/two-factor", new { continuation, code, recoveryCode }));
            }

            return new Session(new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies })) { BaseAddress = BaseAddress }, cookies, BaseAddress);
        }
    }
}

/// <summary><c>Security:RequireTwoFactorForAdmins=true</c>: an admin without a second factor may only enrol.</summary>
public sealed class TwoFactorForAdminsTests(TwoFactorForAdminsTests.World server) : IClassFixture<TwoFactorForAdminsTests.World>
{
    [Fact]
    public async Task An_admin_without_two_factor_may_only_enrol_until_they_have_and_other_staff_are_not_held_to_it()
    {
        var cookies = new CookieContainer();
        using var pages = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        await ServerScenario.Ok(pages.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = SlaGrainsServerFixture.AdminPassword }));
        using var admin = new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies })) { BaseAddress = server.BaseAddress };

        var api = await admin.GetAsync("api/v1/customers");
        var change = await admin.PostAsJsonAsync("api/v1/users", new { userName = "tfa-tech", password = ServerScenario.Password("tfa-tech"), role = "technician" });
        var me = await admin.GetAsync("api/v1/auth/me");
        var status = await (await ServerScenario.Ok(admin.GetAsync("api/v1/me/two-factor"))).JsonAsync();
        var inbox = await pages.GetAsync("inbox");
        var enrolmentPage = await pages.GetAsync("security");

        server.NextStep();
        var secret = (await (await ServerScenario.Ok(admin.PostAsync("api/v1/me/two-factor/enrolment", null))).JsonAsync()).GetProperty("secret").GetString()!;
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/me/two-factor/enrolment/confirm", new { code = server.Code(secret) }));

        // The cookie was re-issued (its claims changed), so changes need a fresh anti-forgery token.
        using var enrolled = new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies })) { BaseAddress = server.BaseAddress };
        var apiAfter = await enrolled.GetAsync("api/v1/customers");
        var inboxAfter = await pages.GetAsync("inbox");
        server.NextStep();
        var turnOff = await enrolled.PostAsJsonAsync("api/v1/me/two-factor/disable", new { code = server.Code(secret) });
        await ServerScenario.UserAsync(enrolled, "tfa-tech", "technician");
        using var technician = await server.SignInAsync("tfa-tech", ServerScenario.Password("tfa-tech"));
        var technicianReads = await technician.Http.GetAsync("api/v1/customers");

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("two-factor", (await api.JsonAsync()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(status.GetProperty("required").GetBoolean());
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.Equal("/security", inbox.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, enrolmentPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inboxAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, turnOff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, technicianReads.StatusCode);
    }

    public sealed class World : TwoFactorTests.World
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [.. base.Settings, new("Security:RequireTwoFactorForAdmins", "true")];
    }
}
