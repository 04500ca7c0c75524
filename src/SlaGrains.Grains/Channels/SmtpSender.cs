using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// Sends emails to the operator's SMTP relay (<see cref="EmailOptions"/>) over a small pool of connections that are
/// reused from message to message (one SMTP session carries many messages), so a burst of thousands of emails costs a
/// few connects, not thousands. A connection idle for longer than <see cref="IdleLimit"/> is closed rather than reused
/// (relays drop idle sessions); a message that fails on a reused connection because it was closed is tried once more
/// on a fresh one. The relay is the operator's own setting: it is connected to directly, not through the outbound
/// address rules.
/// </summary>
public sealed class SmtpSender(EmailOptions options, TimeProvider time) : IAsyncDisposable
{
    /// <summary>How long a pooled connection may stay idle and still be reused.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(20);

    private readonly ConcurrentBag<Pooled> _idle = [];

    /// <summary>The relay's settings.</summary>
    public EmailOptions Options => options;

    /// <summary>
    /// Sends <paramref name="message"/> within <paramref name="timeout"/>; the outcome class (<c>delivered</c>,
    /// <c>timeout</c>, <c>connectionFailed</c>, <c>tlsError</c>, <c>authenticationFailed</c>, <c>rejected: 550 …</c>) and
    /// whether a failure is permanent (the relay refused the message or its recipient with a 5xx).
    /// </summary>
    public async Task<(string Outcome, bool Permanent)> SendAsync(MimeMessage message, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var pooled = await RentAsync(cancel.Token);
            try
            {
                await pooled.Client.SendAsync(message, cancel.Token);
            }
            catch (Exception error) when (pooled.Reused && error is ServiceNotConnectedException or IOException or SmtpProtocolException && !cancel.IsCancellationRequested)
            {
                // The relay closed the idle session under us: once more on a fresh connection.
                await DiscardAsync(pooled);
                pooled = await ConnectAsync(cancel.Token);
                try
                {
                    await pooled.Client.SendAsync(message, cancel.Token);
                }
                catch
                {
                    await DiscardAsync(pooled);
                    throw;
                }
            }
            catch
            {
                await DiscardAsync(pooled);
                throw;
            }

            _idle.Add(pooled with { LastUsed = time.GetTimestamp(), Reused = true });
            return ("delivered", false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ("timeout", false);
        }
        catch (SmtpCommandException refused)
        {
            var code = (int)refused.StatusCode;
            var text = refused.Message.ReplaceLineEndings(" ").Trim();
            return ($"rejected: {code} {(text.Length > 200 ? text[..200] : text)}", code >= 500);
        }
        catch (AuthenticationException)
        {
            return ("authenticationFailed", false);
        }
        catch (SslHandshakeException)
        {
            return ("tlsError", false);
        }
        catch (Exception error) when (error is SocketException or IOException or ServiceNotConnectedException or ProtocolException)
        {
            return ("connectionFailed", false);
        }
    }

    /// <summary>Closes the pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var pooled))
        {
            await DiscardAsync(pooled);
        }
    }

    private async Task<Pooled> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.Client.IsConnected && time.GetElapsedTime(pooled.LastUsed) < IdleLimit)
            {
                return pooled;
            }

            await DiscardAsync(pooled);
        }

        return await ConnectAsync(cancellationToken);
    }

    private async Task<Pooled> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.Host!, options.EffectivePort, options.SocketOptions, cancellationToken);
            if (options.UserName is { } user)
            {
                await client.AuthenticateAsync(user, options.Password ?? string.Empty, cancellationToken);
            }

            return new Pooled(client, time.GetTimestamp(), Reused: false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task DiscardAsync(Pooled pooled)
    {
        try
        {
            if (pooled.Client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await pooled.Client.DisconnectAsync(quit: true, quit.Token);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or SmtpProtocolException or ServiceNotConnectedException or SmtpCommandException)
        {
            // Closing a broken session: nothing to tell anyone.
        }
        finally
        {
            pooled.Client.Dispose();
        }
    }

    private sealed record Pooled(SmtpClient Client, long LastUsed, bool Reused);
}
