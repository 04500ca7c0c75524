using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SlaGrains.Application;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Ui.Services;

/// <summary>
/// A page that follows the in-process notification feed while it is shown: each notification is handed to
/// <see cref="OnNotificationAsync"/> on the page's render context; the subscription ends when the page is disposed.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _closing = new();

    /// <summary>The feed.</summary>
    [Inject]
    protected ISlaNotifications Notifications { get; set; } = default!;

    /// <summary>Now on the SLA clock.</summary>
    [Inject]
    protected ISlaNow Clock { get; set; } = default!;

    /// <summary>The signed-in user.</summary>
    [CascadingParameter]
    protected Task<AuthenticationState> Authentication { get; set; } = default!;

    /// <summary>Who is looking (set before <see cref="LoadAsync"/>).</summary>
    protected Caller Caller { get; private set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Caller = Caller.From((await Authentication).User);

        // Subscribe before reading, so a change published between the read and the subscription is not lost: the first
        // MoveNextAsync registers the subscriber before it waits, and what arrives during the read is applied after it.
        IAsyncEnumerator<SlaNotification>? feed = null;
        var next = default(ValueTask<bool>);
        if (RendererInfo.IsInteractive)
        {
            feed = Notifications.Subscribe(_closing.Token).GetAsyncEnumerator(_closing.Token);
            next = feed.MoveNextAsync();
        }

        await LoadAsync();
        if (feed is not null)
        {
            _ = FollowAsync(feed, next);
        }
    }

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>One notification; return true to re-render.</summary>
    protected abstract Task<bool> OnNotificationAsync(SlaNotification notification);

    /// <inheritdoc />
    public void Dispose()
    {
        _closing.Cancel();
        _closing.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task FollowAsync(IAsyncEnumerator<SlaNotification> feed, ValueTask<bool> next)
    {
        try
        {
            await using (feed)
            {
                while (await next)
                {
                    var notification = feed.Current;
                    await InvokeAsync(async () =>
                    {
                        if (await OnNotificationAsync(notification))
                        {
                            StateHasChanged();
                        }
                    });
                    next = feed.MoveNextAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
