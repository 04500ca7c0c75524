using System.Net;
using System.Net.Http.Json;
using SlaGrains.Server.Tests.Hosting;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// The data protection keys (they sign the sign-in cookies) at rest, on the real server as a process: encrypted when a
/// key-encryption secret is set, still read across restarts and after encryption is turned on, refused clearly with a
/// wrong secret; and on SQLite the database and key files readable by the server's user only.
/// </summary>
public sealed class KeyRingAtRestTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private const string AdminPassword = "key-ring-admin-password";
    private const string Secret = "a-long-random-key-encryption-secret-for-tests";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Keys_stored_with_a_secret_hold_no_plaintext_master_key_and_a_cookie_survives_a_restart(string storeName)
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-keys-").FullName;
        try
        {
            var store = await ServerStore.CreateAsync(storeName, directory, postgres, "keys");
            string[] settings = [.. store.Settings, $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning", $"--DataProtection:KeyEncryptionSecret={Secret}"];
            var (keys, meAfterRestart) = await SignInAcrossARestartAsync(settings, () => StoredKeysAsync(storeName, directory, store));
            Assert.NotEmpty(keys);
            Assert.All(keys, key =>
            {
                Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
                Assert.Contains("slaGrainsEncryptedKey", key, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
            });
            Assert.Equal(HttpStatusCode.OK, meAfterRestart);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Keys_stored_with_a_certificate_hold_no_plaintext_master_key_and_a_cookie_survives_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-keys-").FullName;
        try
        {
            // A self-signed certificate with its private key in a password-protected PKCS#12 file, as an operator would configure.
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=slagrains-keys", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var pfx = Path.Combine(directory, "keys.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
            string[] settings = [$"--Storage:SqlitePath={Path.Combine(directory, "sla.db")}", $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning",
                $"--DataProtection:Certificate:Path={pfx}", "--DataProtection:Certificate:Password=pfx-password"];
            var (keys, meAfterRestart) = await SignInAcrossARestartAsync(settings,
                () => Task.FromResult<IReadOnlyList<string>>([.. Directory.EnumerateFiles(Path.Combine(directory, "dataprotection-keys"), "*.xml").Select(File.ReadAllText)]));
            Assert.NotEmpty(keys);
            Assert.All(keys, key =>
            {
                Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
                Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
            });
            Assert.Equal(HttpStatusCode.OK, meAfterRestart);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Keys_written_before_encryption_was_turned_on_stay_readable()
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-keys-").FullName;
        try
        {
            string[] settings = [$"--Storage:SqlitePath={Path.Combine(directory, "sla.db")}", $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning"];
            var cookies = new CookieContainer();
            await using (var unencrypted = ServerProcess.Start("unencrypted", settings))
            {
                await unencrypted.WaitReadyAsync(StartBound);
                await SignInAsync(unencrypted.BaseAddress, cookies);
                Assert.Single(unencrypted.Output, line => line.Contains("Data protection keys (they sign the sign-in cookies) are stored unencrypted", StringComparison.Ordinal));
            }

            await using var encrypted = ServerProcess.Start("encrypted", [.. settings, $"--DataProtection:KeyEncryptionSecret={Secret}"]);
            await encrypted.WaitReadyAsync(StartBound);

            Assert.Equal(HttpStatusCode.OK, await MeAsync(encrypted.BaseAddress, cookies));
            Assert.DoesNotContain(encrypted.Output, line => line.Contains("stored unencrypted", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_key_encryption_secret_stops_the_start_and_names_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-keys-").FullName;
        try
        {
            string[] settings = [$"--Storage:SqlitePath={Path.Combine(directory, "sla.db")}", $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning"];
            await using (var right = ServerProcess.Start("right secret", [.. settings, $"--DataProtection:KeyEncryptionSecret={Secret}"]))
            {
                await right.WaitReadyAsync(StartBound);
            }

            await using var wrong = ServerProcess.Start("wrong secret", [.. settings, "--DataProtection:KeyEncryptionSecret=not-the-secret-the-keys-were-written-with"]);
            using var bound = new CancellationTokenSource(StartBound);
            await wrong.Process.WaitForExitAsync(bound.Token);

            Assert.NotEqual(0, wrong.Process.ExitCode);
            Assert.Contains(wrong.Output, line => line.Contains("cannot be decrypted", StringComparison.Ordinal) && line.Contains("DataProtection:KeyEncryptionSecret", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_key_files_are_readable_by_the_servers_user_only()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var directory = Directory.CreateTempSubdirectory("slagrains-modes-").FullName;
        try
        {
            var data = Path.Combine(directory, "fresh", "data");
            await using (var server = ServerProcess.Start("modes", [$"--Storage:SqlitePath={Path.Combine(data, "sla.db")}", $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning"]))
            {
                await server.WaitReadyAsync(StartBound);
                await SignInAsync(server.BaseAddress, new CookieContainer());
                var keys = Path.Combine(data, "dataprotection-keys");
                const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

                Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.Combine(directory, "fresh")));
                Assert.Equal(PrivateFolder, File.GetUnixFileMode(data));
                Assert.Equal(PrivateFolder, File.GetUnixFileMode(keys));
                Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(data, "sla.db")));
                Assert.True(File.Exists(Path.Combine(data, "sla.db-wal")), "WAL mode makes a -wal file");
                foreach (var file in Directory.EnumerateFiles(data).Concat(Directory.EnumerateFiles(keys)))
                {
                    Assert.True(Private == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}");
                }

                Assert.NotEmpty(Directory.EnumerateFiles(keys, "*.xml"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Starts the server, signs in (no warning about unencrypted keys), stops it; reads the keys it stored; starts it
    /// again: the stored keys, and how the first start's cookie is answered after the restart.
    /// </summary>
    private static async Task<(IReadOnlyList<string> Keys, HttpStatusCode MeAfterRestart)> SignInAcrossARestartAsync(string[] settings, Func<Task<IReadOnlyList<string>>> storedKeys)
    {
        var cookies = new CookieContainer();
        await using (var first = ServerProcess.Start("first", settings))
        {
            await first.WaitReadyAsync(StartBound);
            await SignInAsync(first.BaseAddress, cookies);
            Assert.DoesNotContain(first.Output, line => line.Contains("stored unencrypted", StringComparison.Ordinal));
        }

        var keys = await storedKeys();
        await using var second = ServerProcess.Start("second", settings);
        await second.WaitReadyAsync(StartBound);
        return (keys, await MeAsync(second.BaseAddress, cookies));
    }

    private static async Task SignInAsync(Uri server, CookieContainer cookies)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        await ServerScenario.Ok(client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = AdminPassword }));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(server, cookies));
    }

    private static async Task<HttpStatusCode> MeAsync(Uri server, CookieContainer cookies)
    {
        // The cookie container is keyed by host, not port: the same cookie goes to the restarted server's new port.
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        using var response = await client.GetAsync("api/v1/auth/me");
        return response.StatusCode;
    }

    private static async Task<IReadOnlyList<string>> StoredKeysAsync(string storeName, string directory, ServerStore store)
    {
        if (storeName == "sqlite")
        {
            return [.. Directory.EnumerateFiles(Path.Combine(directory, "dataprotection-keys"), "*.xml").Select(File.ReadAllText)];
        }

        await using var connection = store.Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM slagrains_dataprotection_key";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
