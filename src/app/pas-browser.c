#define G_LOG_DOMAIN "pas-browser"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-browser-private.h"
#include "pas-gtk-interaction.h"
#include "pas-opened-file.h"
#include "pas-alert.h"

/* Channels for the queue besides the browsing one, so browsing stays
 * responsive while transfers run. */
#define TRANSFER_CHANNELS 2

G_DEFINE_FINAL_TYPE (PasBrowser, pas_browser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- small helpers shared with pas-browser-actions.c ---------------------- */

void
pas_browser_toast (PasBrowser *self,
                   const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_debug ("toast: %s", text);
  if (overlay == NULL)
    return;
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* An operation failed: its human message (and remedy) as a toast; a lost
 * connection turns the tab into its reconnect page. */
void
pas_browser_report (PasBrowser   *self,
                    const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error->domain == PAS_ERROR &&
      (error->code == PAS_ERROR_DISCONNECTED || error->code == PAS_ERROR_NETWORK ||
       error->code == PAS_ERROR_TIMED_OUT) &&
      self->state == PAS_BROWSER_CONNECTED)
    {
      pas_browser_set_failed (self, error);
      return;
    }
  text = pas_error_describe (error, " ");
  pas_browser_toast (self, text);
}

static void
set_state (PasBrowser      *self,
           PasBrowserState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.reconnect", state == PAS_BROWSER_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.disconnect", state == PAS_BROWSER_CONNECTED ||
                                                                         state == PAS_BROWSER_CONNECTING);
  pas_browser_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Tabs on the same server (same user, host and port) share the queue's
 * items for it: the channels of whichever is connected carry them, so
 * closing one tab hands them to another instead of stopping them. */
static GHashTable *serving;   /* server key -> GPtrArray of PasBrowser (no refs) */

static void
give_sessions (PasBrowser *self)
{
  GPtrArray *tabs = serving != NULL ? g_hash_table_lookup (serving, self->server_key) : NULL;
  PasBrowser *other = tabs != NULL && tabs->len > 0 ? g_ptr_array_index (tabs, tabs->len - 1) : NULL;

  if (other != NULL && other->transfer_sessions->len > 0)
    pas_transfer_queue_set_sessions (self->queue, self->server_key,
                                     (PasSftpSession * const *) other->transfer_sessions->pdata,
                                     other->transfer_sessions->len);
  else if (other != NULL && other->sftp != NULL)
    pas_transfer_queue_set_sessions (self->queue, self->server_key, &other->sftp, 1);
  else
    pas_transfer_queue_set_sessions (self->queue, self->server_key, NULL, 0);
}

static void
serve (PasBrowser *self,
       gboolean    serving_now)
{
  GPtrArray *tabs;

  if (serving == NULL)
    serving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  tabs = g_hash_table_lookup (serving, self->server_key);
  if (tabs == NULL)
    {
      tabs = g_ptr_array_new ();
      g_hash_table_insert (serving, g_strdup (self->server_key), tabs);
    }
  g_ptr_array_remove (tabs, self);
  if (serving_now)
    g_ptr_array_add (tabs, self);
  give_sessions (self);
}

static void
drop_connection (PasBrowser *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->queue != NULL && self->server_key != NULL)
    serve (self, FALSE);
  g_ptr_array_set_size (self->transfer_sessions, 0);
  if (self->remote_pane != NULL)
    pas_file_pane_set_session (self->remote_pane, NULL);
  g_clear_object (&self->sftp);
  if (self->connection != NULL)
    pas_connection_close (self->connection);
  g_clear_object (&self->connection);
}

static gboolean
is_host_key_danger (const GError *error)
{
  return g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED);
}

/* A changed or revoked key gets its own warning, with no way to accept it
 * from here: the remedy says how to check and remove the old key. */
static void
show_host_key_danger (PasBrowser   *self,
                      const GError *error)
{
  g_autofree char *body = pas_error_describe (error, "\n\n");
  PasAlert *dialog;

  dialog = pas_alert_new (GTK_WIDGET (self),
                          g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED)
                            ? _("Server Key Revoked")
                            : _("Server Key Changed"),
                          body);
  gtk_widget_add_css_class (GTK_WIDGET (dialog), "host-key-danger");
  pas_alert_add_response (dialog, "close", _("_Close"));
  pas_alert_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_present (dialog);
}

void
pas_browser_set_failed (PasBrowser   *self,
                        const GError *error)
{
  g_autofree char *text = pas_error_describe (error, "\n");
  gboolean was_connected = self->state == PAS_BROWSER_CONNECTED;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  drop_connection (self);
  adw_status_page_set_title (self->failed_page, was_connected ? _("Connection Lost") : _("Could Not Connect"));
  adw_status_page_set_description (self->failed_page, text);
  adw_status_page_set_icon_name (self->failed_page, is_host_key_danger (error) ? "security-low-symbolic"
                                                                              : "network-offline-symbolic");
  gtk_stack_set_visible_child_name (self->stack, "failed");
  set_state (self, PAS_BROWSER_FAILED);
  if (is_host_key_danger (error))
    show_host_key_danger (self, error);
}

/* ---- connecting ------------------------------------------------------------ */

/* Items of this server that came back from an earlier run ask their
 * conflict questions here, too. */
static void
adopt_queue_items (PasBrowser *self)
{
  GListModel *model = G_LIST_MODEL (self->queue);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (pas_transfer_queue_get_server (self->queue, t), self->server_key) == 0)
        pas_transfer_set_interaction (t, PAS_INTERACTION (self->interaction));
    }
}

static void
transfer_session_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_sftp_session_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sftp == NULL)
    {
      /* Transfers then share the browsing channel. */
      g_debug ("no extra channel for transfers: %s", error->message);
      if (self->state == PAS_BROWSER_CONNECTED && self->transfer_sessions->len == 0 && self->sftp != NULL)
        {
          adopt_queue_items (self);
          serve (self, TRUE);
        }
      return;
    }
  if (self->state != PAS_BROWSER_CONNECTED)
    return;
  g_ptr_array_add (self->transfer_sessions, g_steal_pointer (&sftp));
  adopt_queue_items (self);
  serve (self, TRUE);
}

static void
home_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = pas_sftp_session_realpath_finish (PAS_SFTP_SESSION (source), result, &error);
  g_autofree char *start = NULL;

  if (self->state != PAS_BROWSER_CONNECTING || (GObject *) self->sftp != source)
    return;
  if (home == NULL)
    {
      pas_browser_set_failed (self, error);
      return;
    }

  /* "~/x" and relative paths start at home; an absolute one is taken as is. */
  if (self->uri->path == NULL || g_strcmp0 (self->uri->path, "~") == 0)
    start = g_strdup (home);
  else if (g_str_has_prefix (self->uri->path, "~/"))
    start = g_build_path ("/", home, self->uri->path + 2, NULL);
  else if (self->uri->path[0] != '/')
    start = g_build_path ("/", home, self->uri->path, NULL);
  else
    start = g_strdup (self->uri->path);

  pas_file_pane_set_session (self->remote_pane, self->sftp);
  pas_file_pane_set_home (self->remote_pane, home);
  pas_file_pane_set_location (self->remote_pane, start);
  gtk_stack_set_visible_child_name (self->stack, "browse");
  set_state (self, PAS_BROWSER_CONNECTED);
  pas_file_pane_focus_list (self->remote_pane);

  for (guint i = 0; i < TRANSFER_CHANNELS; i++)
    pas_sftp_session_open_async (self->connection, NULL, self->cancellable,
                                 transfer_session_cb, g_object_ref (self));
}

static void
sftp_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_sftp_session_open_finish (result, &error);

  if (self->state != PAS_BROWSER_CONNECTING)
    return;
  if (sftp == NULL)
    {
      pas_browser_set_failed (self, error);
      return;
    }
  self->sftp = g_steal_pointer (&sftp);
  pas_sftp_session_realpath_async (self->sftp, ".", self->cancellable, home_cb, g_object_ref (self));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pas_connection_connect_finish (PAS_CONNECTION (source), result, &error))
    {
      pas_gtk_interaction_forget_secrets (self->interaction);
      if (self->state == PAS_BROWSER_CONNECTING && (GObject *) self->connection == source)
        pas_browser_set_failed (self, error);
      return;
    }
  if (self->state != PAS_BROWSER_CONNECTING || (GObject *) self->connection != source)
    return;
  pas_gtk_interaction_commit_secrets (self->interaction);
  pas_sftp_session_open_async (self->connection, self->sftp_server, self->cancellable, sftp_cb,
                               g_object_ref (self));
}

typedef struct
{
  char     *host;
  char     *user;
  guint16   port;
  char    **identities;
  gboolean  identities_only;
  guint     timeout;
  guint     keepalive;
} Resolved;

static void
resolved_free (Resolved *r)
{
  g_free (r->host);
  g_free (r->user);
  g_strfreev (r->identities);
  g_free (r);
}

/* ~/.ssh/config is a file: read in a thread, never on the UI thread. */
static void
resolve_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const PasUri *uri = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSshConfig) config = pas_ssh_config_load (NULL, &error);
  Resolved *r = g_new0 (Resolved, 1);

  if (config == NULL)
    {
      g_warning ("ignoring ~/.ssh/config: %s", error->message);
      r->host = g_strdup (uri->host);
      r->user = g_strdup (uri->user != NULL ? uri->user : g_get_user_name ());
      r->port = pas_uri_get_effective_port (uri);
    }
  else
    {
      g_autoptr(PasSshHost) host = pas_ssh_config_resolve (config, uri->host, uri->user, uri->port);

      r->host = g_strdup (host->hostname);
      r->user = g_strdup (host->user);
      r->port = host->port != 0 ? host->port : PAS_URI_DEFAULT_PORT;
      r->identities = g_strdupv (host->identity_files);
      r->identities_only = host->identities_only;
      r->timeout = host->connect_timeout;
      r->keepalive = host->server_alive_interval;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) resolved_free);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PasBrowser *self = PAS_BROWSER (source);
  Resolved *r = g_task_propagate_pointer (G_TASK (result), NULL);

  if (r == NULL || self->state != PAS_BROWSER_CONNECTING || self->connection != NULL)
    {
      g_clear_pointer (&r, resolved_free);
      return;
    }

  self->connection = pas_connection_new (r->host, r->port, r->user);
  pas_connection_set_interaction (self->connection, PAS_INTERACTION (self->interaction));
  if (self->known_hosts != NULL)
    pas_connection_set_known_hosts_files (self->connection, self->known_hosts, NULL);
  /* An identity given on the command line wins over ssh_config's. */
  if (self->identities != NULL && self->identities[0] != NULL)
    pas_connection_set_identity_files (self->connection, (const char * const *) self->identities, TRUE);
  else if (r->identities != NULL && r->identities[0] != NULL)
    pas_connection_set_identity_files (self->connection, (const char * const *) r->identities,
                                       r->identities_only);
  /* A saved session's own settings win over ssh_config's. */
  if (self->session != NULL)
    {
      const char *key = pas_session_get_key_file (self->session);

      if (key != NULL && key[0] != '\0' && (self->identities == NULL || self->identities[0] == NULL))
        pas_connection_set_identity_files (self->connection, (const char *[]) { key, NULL }, TRUE);
      if (pas_session_get_connect_timeout (self->session) != 0)
        r->timeout = pas_session_get_connect_timeout (self->session);
      if (pas_session_get_keepalive (self->session) != 0)
        r->keepalive = pas_session_get_keepalive (self->session);
    }
  if (r->timeout != 0)
    pas_connection_set_timeout (self->connection, r->timeout);
  if (r->keepalive != 0)
    pas_connection_set_keepalive_interval (self->connection, r->keepalive);

  pas_connection_connect_async (self->connection, self->cancellable, connect_cb, g_object_ref (self));
  resolved_free (r);
}

void
pas_browser_connect (PasBrowser *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (PAS_IS_BROWSER (self));

  drop_connection (self);
  g_clear_error (&self->error);
  self->cancellable = g_cancellable_new ();
  set_state (self, PAS_BROWSER_CONNECTING);

  shown = pas_uri_to_display_string (self->uri);
  /* Translators: %s is a server such as root@example.com */
  text = g_strdup_printf (_("Connecting to %s…"), shown);
  adw_status_page_set_title (self->connecting_page, text);
  gtk_stack_set_visible_child_name (self->stack, "connecting");

  task = g_task_new (self, self->cancellable, resolved_cb, NULL);
  g_task_set_task_data (task, pas_uri_copy (self->uri), (GDestroyNotify) pas_uri_free);
  g_task_run_in_thread (task, resolve_thread);
}

void
pas_browser_disconnect (PasBrowser *self)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  drop_connection (self);
  set_state (self, PAS_BROWSER_CLOSED);
}

/* ---- accessors ---------------------------------------------------------- */

PasBrowser *
pas_browser_new (const PasUri     *uri,
                 PasTransferQueue *queue)
{
  PasBrowser *self = g_object_new (PAS_TYPE_BROWSER, NULL);
  g_autofree char *shown = pas_uri_to_display_string (uri);

  self->uri = pas_uri_copy (uri);
  self->queue = g_object_ref (queue);
  self->title = g_steal_pointer (&shown);
  self->server_key = g_strdup_printf ("%s@%s:%u", uri->user != NULL ? uri->user : g_get_user_name (),
                                      uri->host, pas_uri_get_effective_port (uri));
  return self;
}

/**
 * pas_browser_new_for_session:
 *
 * A tab for a saved session: its host, port, user, start folders, key, SFTP
 * server command, keepalive and timeout.
 */
PasBrowser *
pas_browser_new_for_session (PasSession       *session,
                             PasTransferQueue *queue)
{
  PasUri uri = {
    .user = (char *) pas_session_get_user (session),
    .host = (char *) pas_session_get_host (session),
    .port = (guint16) pas_session_get_port (session),
    .path = (char *) pas_session_get_remote_folder (session),
  };
  PasBrowser *self;

  if (uri.user != NULL && uri.user[0] == '\0')
    uri.user = NULL;
  if (uri.path != NULL && uri.path[0] == '\0')
    uri.path = NULL;
  self = pas_browser_new (&uri, queue);
  self->session = g_object_ref (session);
  self->sftp_server = g_strdup (pas_session_get_sftp_server (session));
  if (self->sftp_server != NULL && self->sftp_server[0] == '\0')
    g_clear_pointer (&self->sftp_server, g_free);
  if (pas_session_get_name (session) != NULL && pas_session_get_name (session)[0] != '\0')
    {
      g_free (self->title);
      self->title = g_strdup (pas_session_get_name (session));
    }
  if (pas_session_get_local_folder (session) != NULL && pas_session_get_local_folder (session)[0] != '\0')
    pas_file_pane_set_location (self->local_pane, pas_session_get_local_folder (session));
  return self;
}

void
pas_browser_set_identity_files (PasBrowser         *self,
                                const char * const *files)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  g_strfreev (self->identities);
  self->identities = g_strdupv ((char **) files);
}

void
pas_browser_set_known_hosts (PasBrowser *self,
                             const char *file)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  g_free (self->known_hosts);
  self->known_hosts = g_strdup (file);
}

PasBrowserState
pas_browser_get_state (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), PAS_BROWSER_CLOSED);

  return self->state;
}

const GError *
pas_browser_get_error (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->error;
}

const char *
pas_browser_get_title (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->title;
}

const char *
pas_browser_get_server_key (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->server_key;
}

PasFilePane *
pas_browser_get_local_pane (PasBrowser *self)
{
  return self->local_pane;
}

PasFilePane *
pas_browser_get_remote_pane (PasBrowser *self)
{
  return self->remote_pane;
}

PasConnection *
pas_browser_get_connection (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->connection;
}

PasFilePane *
pas_browser_get_active_pane (PasBrowser *self)
{
  return self->active_pane;
}

/* ---- GObject ------------------------------------------------------------ */

static void
reconnect_clicked_cb (GtkButton  *button,
                      PasBrowser *self)
{
  pas_browser_connect (self);
}

/* The active pane is the one holding the window's focus widget (watched on
 * the window: focus controllers only hear about it while the window is the
 * active one). */
static void
focus_widget_cb (GtkWindow  *window,
                 GParamSpec *pspec,
                 PasBrowser *self)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  PasFilePane *pane;

  if (focus == NULL)
    return;
  if (focus == GTK_WIDGET (self->local_pane) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->local_pane)))
    pane = self->local_pane;
  else if (focus == GTK_WIDGET (self->remote_pane) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->remote_pane)))
    pane = self->remote_pane;
  else
    return;

  if (self->active_pane != pane)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->active_pane), "active-pane");
      self->active_pane = pane;
      gtk_widget_add_css_class (GTK_WIDGET (pane), "active-pane");
      pas_browser_update_actions (self);
    }
}

static void
pas_browser_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PasBrowser *self = PAS_BROWSER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_browser_dispose (GObject *object)
{
  PasBrowser *self = PAS_BROWSER (object);

  drop_connection (self);
  if (self->opened != NULL)
    for (guint i = 0; i < self->opened->len; i++)
      {
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->opened, i), self);
        pas_opened_file_stop (g_ptr_array_index (self->opened, i));
      }
  gtk_widget_dispose_template (GTK_WIDGET (self), PAS_TYPE_BROWSER);

  G_OBJECT_CLASS (pas_browser_parent_class)->dispose (object);
}

static void
pas_browser_finalize (GObject *object)
{
  PasBrowser *self = PAS_BROWSER (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->interaction);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->transfer_sessions, g_ptr_array_unref);
  g_clear_pointer (&self->opened, g_ptr_array_unref);
  g_clear_pointer (&self->uri, pas_uri_free);
  g_clear_error (&self->error);
  g_strfreev (self->identities);
  g_free (self->known_hosts);
  g_free (self->sftp_server);
  g_clear_object (&self->session);
  g_free (self->title);
  g_free (self->server_key);

  G_OBJECT_CLASS (pas_browser_parent_class)->finalize (object);
}

static void
pas_browser_root (GtkWidget *widget)
{
  PasBrowser *self = PAS_BROWSER (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (pas_browser_parent_class)->root (widget);

  /* Dialogs need a window to sit on: the one this tab is shown in. */
  root = gtk_widget_get_root (widget);
  if (self->interaction == NULL)
    self->interaction = pas_gtk_interaction_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::focus-widget", G_CALLBACK (focus_widget_cb), self, 0);
}

static void
pas_browser_unroot (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  g_signal_handlers_disconnect_by_func (root, focus_widget_cb, widget);
  GTK_WIDGET_CLASS (pas_browser_parent_class)->unroot (widget);
}

static void
pas_browser_class_init (PasBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pas_browser_get_property;
  object_class->dispose = pas_browser_dispose;
  object_class->finalize = pas_browser_finalize;

  widget_class->root = pas_browser_root;
  widget_class->unroot = pas_browser_unroot;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, PAS_BROWSER_CONNECTING, PAS_BROWSER_CLOSED, PAS_BROWSER_CONNECTING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PAS_TYPE_FILE_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-browser.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, stack);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, failed_page);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, local_pane);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, remote_pane);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, reconnect_clicked_cb);

  pas_browser_class_init_actions (widget_class);
}

static void
pas_browser_init (PasBrowser *self)
{
  self->state = PAS_BROWSER_CLOSED;
  self->transfer_sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->opened = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  {
    g_autofree char *folder = g_settings_get_string (self->settings, "default-local-folder");

    /* The preference if it names a folder, else home. */
    pas_file_pane_set_location (self->local_pane,
                                folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR) ? folder
                                                                                          : g_get_home_dir ());
  }
  g_settings_bind (self->settings, "show-hidden", self->local_pane, "show-hidden", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-hidden", self->remote_pane, "show-hidden", G_SETTINGS_BIND_GET);
  pas_file_pane_set_context_menu (self->local_pane, self->context_menu);
  pas_file_pane_set_context_menu (self->remote_pane, self->context_menu);

  self->active_pane = self->remote_pane;
  gtk_widget_add_css_class (GTK_WIDGET (self->remote_pane), "active-pane");
  pas_browser_init_actions (self);
}
