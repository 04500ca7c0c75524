using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OtpNet;
using QRCoder;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>Two-factor settings (configuration section <c>Security</c>).</summary>
public sealed class TwoFactorOptions
{
    /// <summary>
    /// When true, an admin without two-factor sign-in is signed in only to enrol: every other page and API answers
    /// 403 (pages send them to the enrolment page) until they have. Default false.
    /// </summary>
    public bool RequireTwoFactorForAdmins { get; set; }
}

/// <summary>The signed-in person's second factor.</summary>
/// <param name="Enabled">A code is asked for at sign-in.</param>
/// <param name="Pending">An enrolment was started and is waiting for a code.</param>
/// <param name="EnabledAt">When it was turned on.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
/// <param name="Required">This person must have it (an admin while <c>Security:RequireTwoFactorForAdmins</c> is on).</param>
public sealed record TwoFactorStatusResponse(bool Enabled, bool Pending, Instant? EnabledAt, int RecoveryCodesLeft, bool Required);

/// <summary>A started enrolment: the secret to give an authenticator app, as text, as a URI and as a QR code.</summary>
/// <param name="Secret">The secret in Base32 (160 bits), to type into an app.</param>
/// <param name="OtpAuthUri">The <c>otpauth://totp/...</c> URI the QR code holds.</param>
/// <param name="QrCodeSvg">The QR code as an SVG document (no script, no external references).</param>
public sealed record TwoFactorEnrolmentResponse(string Secret, string OtpAuthUri, string QrCodeSvg);

/// <summary>The recovery codes of a confirmed enrolment: shown this once, stored only hashed.</summary>
public sealed record RecoveryCodesResponse(ImmutableArray<string> RecoveryCodes);

/// <summary>A second factor: a current code from the app, or one of the recovery codes.</summary>
public sealed record TwoFactorCodeInput(string? Code, string? RecoveryCode);

/// <summary>A user's second factor as an admin sees it, with what happened to it.</summary>
public sealed record UserTwoFactorResponse(string UserName, bool Enabled, Instant? EnabledAt, int RecoveryCodesLeft, ImmutableArray<TwoFactorEvent> History);

/// <summary>
/// Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, as every authenticator app reads an
/// <c>otpauth://</c> URI): enrolment, confirmation, recovery codes, turning it off and an admin's reset. A code is
/// accepted one step either side of now (clock drift) and only once (the grain remembers the last step used); a
/// recovery code is consumed. Wrong codes delay further ones like wrong passwords (<see cref="SignInLockout"/>).
/// </summary>
[ApplicationService]
public sealed class TwoFactorCommands(IGrainFactory grains, ISlaNow clock, SecurityStamps stamps, Microsoft.Extensions.Options.IOptions<TwoFactorOptions> options)
{
    /// <summary>The issuer authenticator apps list the account under.</summary>
    public const string Issuer = "SlaGrains";

    /// <summary>How many recovery codes an enrolment gives.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The cookie claim saying how this session stands with the second factor (<see cref="Verified"/>, <see cref="NotUsed"/>, <see cref="EnrolmentRequired"/>).</summary>
    public const string StateClaim = "slagrains:two-factor";

    /// <summary>Signed in with a second factor (or enrolled in this session).</summary>
    public const string Verified = "verified";

    /// <summary>Signed in with a password only (the person has no second factor).</summary>
    public const string NotUsed = "none";

    /// <summary>An admin without a second factor while it is required: signed in only to enrol.</summary>
    public const string EnrolmentRequired = "enrol-required";

    /// <summary>The longest code field taken (a code with spaces or a recovery code with dashes fits).</summary>
    public const int MaxCodeLength = 32;

    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    private ITwoFactorAccounts Accounts => grains.GetGrain<ITwoFactorAccounts>(IAccountsGrain.Key);

    /// <summary>Whether <paramref name="user"/>'s session may only enrol (an admin who must have a second factor and had none at sign-in).</summary>
    public static bool MustEnrol(ClaimsPrincipal user)
        => user?.FindFirst(StateClaim)?.Value == EnrolmentRequired;

    /// <summary>Whether someone of <paramref name="role"/> must have a second factor here.</summary>
    public bool RequiredFor(UserRole role) => role == UserRole.Admin && options.Value.RequireTwoFactorForAdmins;

    /// <summary>Whether the user has a second factor turned on.</summary>
    public async Task<bool> IsEnabled(string userName) => (await Accounts.TwoFactorOf(userName))?.Enabled == true;

    /// <summary>The signed-in person's second factor.</summary>
    public async Task<Result<TwoFactorStatusResponse>> Status(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (PeopleOnly(caller) is { } refused)
        {
            return refused;
        }

        var record = await Accounts.TwoFactorOf(caller.Name);
        return new TwoFactorStatusResponse(record?.Enabled == true, record?.PendingSecret is not null, record?.EnabledAt, record?.Enabled == true ? record.RecoveryCodeHashes.Length : 0, RequiredFor(caller.Role));
    }

    /// <summary>
    /// Starts (or starts again) enrolment: a new 160-bit secret is kept pending — an enabled one stays in force until
    /// the new one is confirmed — and returned as text, URI and QR code.
    /// </summary>
    public async Task<Result<TwoFactorEnrolmentResponse>> Start(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (PeopleOnly(caller) is { } refused)
        {
            return refused;
        }

        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        if (!await Accounts.StartTwoFactor(caller.Name, secret))
        {
            return Failure.NotFound($"User '{caller.Name}'");
        }

        var uri = OtpAuthUri(caller.Name, secret);
        return new TwoFactorEnrolmentResponse(secret, uri, QrCodeSvg(uri));
    }

    /// <summary>The pending enrolment again (the page shows it until a right code confirms it); null when none is pending.</summary>
    public async Task<TwoFactorEnrolmentResponse?> PendingEnrolment(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (PeopleOnly(caller) is not null || (await Accounts.TwoFactorOf(caller.Name))?.PendingSecret is not { } secret)
        {
            return null;
        }

        var uri = OtpAuthUri(caller.Name, secret);
        return new TwoFactorEnrolmentResponse(secret, uri, QrCodeSvg(uri));
    }

    /// <summary>Confirms the pending secret with a current code from the app: two-factor sign-in is on, and the recovery codes are returned once.</summary>
    public async Task<Result<RecoveryCodesResponse>> Confirm(Caller caller, TwoFactorCodeInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (PeopleOnly(caller) is { } refused)
        {
            return refused;
        }

        if (CheckCode(input.Code, "code", required: true) is { } invalid)
        {
            return invalid;
        }

        if ((await Accounts.TwoFactorOf(caller.Name))?.PendingSecret is not { } pending)
        {
            return Failure.Conflict("There is no enrolment to confirm: start one first.");
        }

        if (MatchingStep(pending, input.Code!) is not { } step)
        {
            return Failure.Invalid("code", "The code is not the app's current code for this secret (check the device's clock).");
        }

        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToImmutableArray();
        using var actor = Actor.Is(caller);
        if (!await Accounts.ConfirmTwoFactor(caller.Name, pending, step, [.. codes.Select(HashRecoveryCode)], clock.Now))
        {
            return Failure.Conflict("The enrolment was started again meanwhile: confirm the newest secret.");
        }

        return new RecoveryCodesResponse(codes);
    }

    /// <summary>
    /// Judges a second factor for <paramref name="userName"/> (sign-in, or turning it off): a current unused code, or
    /// an unused recovery code (then consumed). Check the input first (<see cref="CheckInput"/>).
    /// </summary>
    public async Task<TwoFactorCheck> Verify(string userName, TwoFactorCodeInput input)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(input);
        var record = await Accounts.TwoFactorOf(userName);
        if (record is not { Secret: { } secret })
        {
            return new TwoFactorCheck(false, null, 0);
        }

        var step = string.IsNullOrWhiteSpace(input.Code) ? null : MatchingStep(secret, input.Code);
        var recovery = string.IsNullOrWhiteSpace(input.RecoveryCode) ? null : HashRecoveryCode(input.RecoveryCode);
        return await Accounts.CheckSecondFactor(userName, clock.Now, secret, step, recovery);
    }

    /// <summary>The field and message when a second factor's input is missing or out of bounds; null when it may be judged.</summary>
    public static Failure? CheckInput(TwoFactorCodeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrWhiteSpace(input.Code) && string.IsNullOrWhiteSpace(input.RecoveryCode))
        {
            return Failure.Invalid("code", "Give the code from the authenticator app (or a recovery code as recoveryCode).");
        }

        return CheckCode(input.Code, "code", required: false) ?? CheckCode(input.RecoveryCode, "recoveryCode", required: false);
    }

    /// <summary>Turns the signed-in person's second factor off, with a current code or a recovery code; refused while it is required of them.</summary>
    public async Task<Result<TwoFactorStatusResponse>> Disable(Caller caller, TwoFactorCodeInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (PeopleOnly(caller) is { } refused)
        {
            return refused;
        }

        if (CheckInput(input) is { } invalid)
        {
            return invalid;
        }

        if (RequiredFor(caller.Role))
        {
            return Failure.Conflict("Two-factor sign-in is required for admins here (Security:RequireTwoFactorForAdmins); it cannot be turned off.");
        }

        if (!await IsEnabled(caller.Name))
        {
            return Failure.Conflict("Two-factor sign-in is not on.");
        }

        var check = await Verify(caller.Name, input);
        if (check.RetryAt is { } retryAt)
        {
            return Failure.Conflict($"Too many wrong codes; try again after {retryAt}.");
        }

        if (!check.Succeeded)
        {
            return Failure.Invalid(string.IsNullOrWhiteSpace(input.Code) ? "recoveryCode" : "code", "The code is wrong or was already used.");
        }

        await Accounts.DisableTwoFactor(caller.Name, caller.Name, clock.Now);
        return new TwoFactorStatusResponse(false, false, null, 0, false);
    }

    /// <summary>An admin's view of a user's second factor, with its history.</summary>
    public async Task<Result<UserTwoFactorResponse>> Of(Caller caller, string userName)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        if (!AccountCommands.MayNameStoredUser(userName) || await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindUser(userName) is not { } user)
        {
            return Failure.NotFound($"User '{userName}'");
        }

        return Response(user.UserName, await Accounts.TwoFactorOf(user.UserName));
    }

    /// <summary>
    /// An admin turns a user's second factor off (a lost phone and lost recovery codes): recorded in its history with
    /// the admin's name, and the user's sessions end. Admins reset their own only by turning it off with a code.
    /// </summary>
    public async Task<Result<UserTwoFactorResponse>> Reset(Caller caller, string userName)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        if (!AccountCommands.MayNameStoredUser(userName) || await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindUser(userName) is not { } user)
        {
            return Failure.NotFound($"User '{userName}'");
        }

        if (string.Equals(UserNames.Key(user.UserName), UserNames.Key(caller.Name), StringComparison.Ordinal))
        {
            return Failure.Conflict("Turn your own two-factor sign-in off with a code (POST /api/v1/me/two-factor/disable).");
        }

        if (!await Accounts.DisableTwoFactor(user.UserName, caller.Name, clock.Now))
        {
            return Failure.Conflict($"User '{user.UserName}' has no two-factor sign-in.");
        }

        await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).EndSessions(user.UserName);
        stamps.Forget(user.UserName);
        return Response(user.UserName, await Accounts.TwoFactorOf(user.UserName));
    }

    /// <summary>The URI authenticator apps read: <c>otpauth://totp/SlaGrains:{user}?secret=...&amp;issuer=SlaGrains</c>.</summary>
    public static string OtpAuthUri(string userName, string secret)
        => $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(userName)}?secret={secret}&issuer={Issuer}";

    /// <summary>The QR code of <paramref name="text"/> as an SVG document sized by its view box (it scales with its container).</summary>
    public static string QrCodeSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>The recovery code as stored: SHA-256 (hex) of its letters and digits, lower-case (dashes and spaces do not matter).</summary>
    public static string HashRecoveryCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normal = new string([.. code.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>The time step <paramref name="code"/> is right for, one step either side of now; null when none.</summary>
    private long? MatchingStep(string secret, string code)
    {
        var digits = new string([.. code.Where(c => !char.IsWhiteSpace(c))]);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(clock.Now.ToDateTimeUtc(), digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    private static Failure? CheckCode(string? code, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return required ? Failure.Invalid(field, "Give the 6-digit code from the authenticator app.") : null;
        }

        return code.Length > MaxCodeLength || code.Any(char.IsControl)
            ? Failure.Invalid(field, $"A code has at most {MaxCodeLength} characters and no control characters.")
            : null;
    }

    private static Failure? PeopleOnly(Caller caller)
        => caller.KeyScope is not null || caller.IngestionOnly ? Failure.Forbidden("Two-factor sign-in is for people signed in with a password, not API keys.") : null;

    private static string NewRecoveryCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(RecoveryAlphabet, 10);
        return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
    }

    private static UserTwoFactorResponse Response(string userName, TwoFactorRecord? record)
        => new(userName, record?.Enabled == true, record?.EnabledAt, record?.Enabled == true ? record.RecoveryCodeHashes.Length : 0, record?.History.IsDefault == false ? record.History : []);
}
