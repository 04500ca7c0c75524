using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// The data protection keys encrypted at rest with a key-encryption secret (<c>DataProtection:KeyEncryptionSecret</c>):
/// AES-256-GCM under a key derived from the secret with PBKDF2-SHA256 (a fresh salt and nonce per key element), so a
/// copy of the database or key folder alone cannot forge cookies. Used when no certificate is configured.
/// </summary>
/// <remarks>
/// The framework keeps the decryptor's type name beside each encrypted key and creates the decryptor with the service
/// provider, so <see cref="SecretXmlDecryptor"/> is public and finds the secret there. A wrong secret fails the GCM
/// tag check: a <see cref="CryptographicException"/> that names the setting, never a silently different key.
/// </remarks>
public sealed class SecretKeyEncryption
{
    /// <summary>The setting that holds the secret.</summary>
    public const string SettingName = "DataProtection:KeyEncryptionSecret";

    /// <summary>The shortest secret accepted, in characters: a short one would be guessed offline from a stolen key file.</summary>
    public const int MinimumSecretLength = 16;

    private const string ElementName = "slaGrainsEncryptedKey";
    private const int Iterations = 100_000;
    private static readonly byte[] Context = Encoding.UTF8.GetBytes("SlaGrains data protection key encryption v1");

    private readonly byte[] _secret;

    /// <summary>Takes the secret; throws when it is shorter than <see cref="MinimumSecretLength"/>.</summary>
    public SecretKeyEncryption(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumSecretLength)
        {
            throw new InvalidOperationException($"{SettingName} must be at least {MinimumSecretLength} characters (use a long random value).");
        }

        _secret = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>The key element, encrypted into a <c>slaGrainsEncryptedKey</c> element.</summary>
    public XElement Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(DeriveKey(salt), tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Context);
        }

        return new XElement(
            ElementName,
            new XAttribute("version", 1),
            new XAttribute("salt", Convert.ToBase64String(salt)),
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(ciphertext));
    }

    /// <summary>The key element back; a <see cref="CryptographicException"/> naming the setting when the secret is not the one it was encrypted with.</summary>
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != ElementName || (string?)encryptedElement.Attribute("version") != "1")
        {
            throw new CryptographicException($"Not a key encrypted by {SettingName}: <{encryptedElement.Name}>.");
        }

        var salt = Convert.FromBase64String((string)encryptedElement.Attribute("salt")!);
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(DeriveKey(salt), tag.Length);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, Context);
        }
        catch (AuthenticationTagMismatchException error)
        {
            throw new CryptographicException($"A data protection key cannot be decrypted: {SettingName} is not the secret it was encrypted with.", error);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }

    private byte[] DeriveKey(byte[] salt) => Rfc2898DeriveBytes.Pbkdf2(_secret, salt, Iterations, HashAlgorithmName.SHA256, 32);
}

/// <summary>Encrypts new data protection keys with <see cref="SecretKeyEncryption"/>.</summary>
public sealed class SecretXmlEncryptor(SecretKeyEncryption encryption) : IXmlEncryptor
{
    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(encryption.Encrypt(plaintextElement), typeof(SecretXmlDecryptor));
}

/// <summary>Decrypts keys written by <see cref="SecretXmlEncryptor"/>; created by the framework from the type name stored with each key.</summary>
public sealed class SecretXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
        => (services.GetService<SecretKeyEncryption>()
            ?? throw new CryptographicException($"A data protection key was encrypted with {SecretKeyEncryption.SettingName}, which is not set."))
            .Decrypt(encryptedElement);
}
