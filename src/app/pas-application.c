#define G_LOG_DOMAIN "pas-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-engine.h"
#include "pas-application.h"
#include "pas-preferences-window.h"
#include "pas-stall-probe.h"
#include "pas-window.h"
#include "passerelle-resources.h"

struct _PasApplication
{
  AdwApplication  parent_instance;

  GSettings        *settings;
  PasTransferQueue *queue;
  PasSessionStore  *sessions;
  char            **identities;
  char             *known_hosts;
  PasResolver      *resolver;
  GPtrArray        *servers;     /* of Held */
  GSource          *prune;
  PasStallProbe    *stall_probe;
};

G_DEFINE_FINAL_TYPE (PasApplication, pas_application, ADW_TYPE_APPLICATION)

static void queue_progress_cb (PasApplication *self);

PasApplication *
pas_application_new (void)
{
  return g_object_new (PAS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", APP_RESOURCE_PATH,
                       NULL);
}

GSettings *
pas_application_get_settings (PasApplication *self)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
queue_settings_changed_cb (PasApplication *self)
{
  pas_transfer_queue_set_max_running (self->queue, g_settings_get_uint (self->settings, "max-transfers"));
  /* The setting is in KiB/s. */
  pas_transfer_queue_set_speed_limit (self->queue,
                                      (guint64) g_settings_get_uint (self->settings, "speed-limit") * 1024);
}

/**
 * pas_application_get_queue:
 *
 * The one transfer queue of the application, shared by its windows and
 * saved under $XDG_STATE_HOME/passerelle/ (created on first use).
 *
 * Returns: (transfer none): the queue
 */
PasTransferQueue *
pas_application_get_queue (PasApplication *self)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  if (self->queue == NULL)
    {
      g_autofree char *state = g_build_filename (g_get_user_state_dir (), "passerelle", "queue.ini", NULL);
      g_autoptr(GError) error = NULL;

      self->queue = pas_transfer_queue_new (state);
      if (!pas_transfer_queue_load (self->queue, &error))
        g_warning ("%s", error->message);
      g_signal_connect_object (self->queue, "progress", G_CALLBACK (queue_progress_cb), self, G_CONNECT_SWAPPED);
      if (self->settings != NULL)
        {
          g_signal_connect_object (self->settings, "changed::max-transfers",
                                   G_CALLBACK (queue_settings_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->settings, "changed::speed-limit",
                                   G_CALLBACK (queue_settings_changed_cb), self, G_CONNECT_SWAPPED);
          queue_settings_changed_cb (self);
        }
    }
  return self->queue;
}

/**
 * pas_application_get_session_store:
 * @error: set, the first time only, when the file could not be read whole
 *   (what could be read is loaded; a copy of the file was kept)
 *
 * Returns: (transfer none): the saved sessions
 */
PasSessionStore *
pas_application_get_session_store (PasApplication *self,
                                   GError        **error)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  if (self->sessions == NULL)
    {
      self->sessions = pas_session_store_new (NULL);
      pas_session_store_load (self->sessions, error);
    }
  return self->sessions;
}

/**
 * pas_application_get_resolver:
 *
 * How the application turns addresses and saved sessions into destinations:
 * ~/.ssh/config, the saved sessions, the command line's --known-hosts as an
 * explicit option, and its --identity for servers that neither a session
 * nor ssh_config gives a key for (pas-resolver.h).
 *
 * Returns: (transfer none): the resolver
 */
PasResolver *
pas_application_get_resolver (PasApplication *self)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  if (self->resolver == NULL)
    {
      self->resolver = pas_resolver_new ();
      pas_resolver_set_default_identity_files (self->resolver, (const char * const *) self->identities);
      pas_resolver_set_known_hosts (self->resolver, self->known_hosts);
      pas_resolver_set_sessions (self->resolver, pas_application_get_session_store (self, NULL));
    }
  return self->resolver;
}

/* The application's own reference to a server is a toggle reference:
 * it learns when no view (tab, Test Connection) holds the server any more,
 * and lets it go then, unless the queue still has transfers for it. */
typedef struct
{
  PasServer *server;
  gboolean   unviewed;
} Held;

static void server_toggled_cb (gpointer data, GObject *server, gboolean is_last);

static void
release_server (PasApplication *self,
                PasServer      *server)
{
  /* Its queue channels go now: a server of the same key may come next. */
  pas_server_set_queue (server, NULL);
  pas_server_disconnect (server);
  g_object_remove_toggle_ref (G_OBJECT (server), server_toggled_cb, self);
}

static gboolean
prune_cb (gpointer data)
{
  PasApplication *self = data;

  g_clear_pointer (&self->prune, g_source_unref);
  for (guint i = self->servers->len; i > 0; i--)
    {
      Held *held = g_ptr_array_index (self->servers, i - 1);
      PasServer *server = held->server;

      if (!held->unviewed || pas_transfer_queue_has_pending (self->queue, pas_server_get_key (server)))
        continue;
      g_debug ("%s: no view nor transfer needs it any more", pas_server_get_key (server));
      g_ptr_array_remove_index (self->servers, i - 1);
      release_server (self, server);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_prune (PasApplication *self)
{
  if (self->prune != NULL)
    return;
  self->prune = g_idle_source_new ();
  g_source_set_callback (self->prune, prune_cb, self, NULL);
  g_source_attach (self->prune, NULL);
}

static void
server_toggled_cb (gpointer data,
                   GObject *server,
                   gboolean is_last)
{
  PasApplication *self = data;

  for (guint i = 0; i < self->servers->len; i++)
    {
      Held *held = g_ptr_array_index (self->servers, i);
      if ((GObject *) held->server == server)
        held->unviewed = is_last;
    }
  if (is_last)
    schedule_prune (self);
}

/* A server kept for its transfers goes once they end. */
static void
queue_progress_cb (PasApplication *self)
{
  for (guint i = 0; i < self->servers->len; i++)
    if (((Held *) g_ptr_array_index (self->servers, i))->unviewed)
      {
        schedule_prune (self);
        return;
      }
}

/**
 * pas_application_get_server:
 *
 * The application's one #PasServer for @destination's key (user, host,
 * port and jump hosts): the same object for every tab, the queue and Test
 * Connection. While it is not connected, @destination's settings become
 * the ones its next login uses. It stays while a view holds it or the
 * queue has transfers for it.
 *
 * Returns: (transfer full): the server
 */
PasServer *
pas_application_get_server (PasApplication *self,
                            PasDestination *destination)
{
  PasServer *server;
  Held *held;

  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (destination != NULL, NULL);

  for (guint i = 0; i < self->servers->len; i++)
    {
      PasServerState state;

      held = g_ptr_array_index (self->servers, i);
      server = held->server;
      if (!g_str_equal (pas_server_get_key (server), pas_destination_get_key (destination)))
        continue;
      state = pas_server_get_state (server);
      if (state != PAS_SERVER_CONNECTED && state != PAS_SERVER_CONNECTING)
        pas_server_set_destination (server, destination);
      return g_object_ref (server);
    }
  server = pas_server_new (destination);
  pas_server_set_queue (server, pas_application_get_queue (self));
  held = g_new0 (Held, 1);
  held->server = server;
  g_ptr_array_add (self->servers, held);
  /* The caller's reference becomes the view's; ours the toggle one. */
  g_object_add_toggle_ref (G_OBJECT (server), server_toggled_cb, self);
  return server;
}

/* Identity files and a known_hosts file given on the command line (the
 * demo and tests use them); NULL: ssh_config's and OpenSSH's defaults. */
const char * const *
pas_application_get_identity_files (PasApplication *self)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  return (const char * const *) self->identities;
}

const char *
pas_application_get_known_hosts (PasApplication *self)
{
  g_return_val_if_fail (PAS_IS_APPLICATION (self), NULL);

  return self->known_hosts;
}

void
pas_application_set_identity_files (PasApplication     *self,
                                    const char * const *files)
{
  g_return_if_fail (PAS_IS_APPLICATION (self));

  g_strfreev (self->identities);
  self->identities = g_strdupv ((char **) files);
  if (self->resolver != NULL)
    pas_resolver_set_default_identity_files (self->resolver, files);
}

void
pas_application_set_known_hosts (PasApplication *self,
                                 const char     *file)
{
  g_return_if_fail (PAS_IS_APPLICATION (self));

  g_free (self->known_hosts);
  self->known_hosts = g_strdup (file);
  if (self->resolver != NULL)
    pas_resolver_set_known_hosts (self->resolver, file);
}

static int
pas_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  PasApplication *self = PAS_APPLICATION (app);
  g_autofree char **identities = NULL;
  g_autofree char *known_hosts = NULL;

  if (g_variant_dict_lookup (options, "identity", "^a&ay", &identities))
    {
      g_autoptr(GPtrArray) absolute = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; identities[i] != NULL; i++)
        g_ptr_array_add (absolute, g_canonicalize_filename (identities[i], NULL));
      g_ptr_array_add (absolute, NULL);
      pas_application_set_identity_files (self, (const char * const *) absolute->pdata);
    }
  if (g_variant_dict_lookup (options, "known-hosts", "^ay", &known_hosts))
    {
      g_autofree char *absolute = g_canonicalize_filename (known_hosts, NULL);
      pas_application_set_known_hosts (self, absolute);
    }
  return -1;
}

static PasWindow *
get_or_create_window (PasApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (pas_window_new (self));

  return PAS_WINDOW (window);
}

static void
pas_application_activate (GApplication *app)
{
  PasApplication *self = PAS_APPLICATION (app);
  gboolean fresh = gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL;
  PasWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  /* Started with nothing to open: the saved sessions, as WinSCP does. */
  if (fresh && pas_window_get_n_servers (window) == 0)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.sessions", NULL);
}

static void
pas_application_open (GApplication *app,
                      GFile       **files,
                      int           n_files,
                      const char   *hint)
{
  PasApplication *self = PAS_APPLICATION (app);
  PasWindow *window = get_or_create_window (self);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *text = g_file_get_uri (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PasUri) uri = NULL;

      /* Not a URI but what was typed, as in Ctrl+N (user@host:port, a host
       * of ~/.ssh/config, a saved session): GApplication made a path of it. */
      if (g_file_has_uri_scheme (files[i], "file"))
        {
          g_autofree char *cwd = g_get_current_dir ();
          g_autoptr(GFile) here = g_file_new_for_path (cwd);
          g_autofree char *typed = g_file_get_relative_path (here, files[i]);
          g_autoptr(PasAddress) address = NULL;

          if (typed == NULL)
            typed = g_file_get_basename (files[i]);
          address = pas_address_parse (typed, &error);
          if (address == NULL)
            pas_window_show_error (window, error);
          else
            pas_window_add_address (window, address);
          continue;
        }
      uri = pas_uri_parse (text, &error);
      if (uri == NULL)
        pas_window_show_error (window, error);
      else
        pas_window_add_server (window, uri);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PasApplication *self = user_data;
  static const char *developers[] = { "The Passerelle developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Passerelle"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Passerelle developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Move files to and from your servers over SFTP"),
                        "website", "https://github.com/passerelle/passerelle",
                        "issue-url", "https://github.com/passerelle/passerelle/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PasApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows rather than g_application_quit() so each saves its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PasApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (pas_preferences_window_new (
    gtk_application_get_active_window (GTK_APPLICATION (self)))));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action_cb },
  { "about", about_action_cb },
  { "quit", quit_action_cb },
};

static void
pas_application_startup (GApplication *app)
{
  PasApplication *self = PAS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (pas_application_parent_class)->startup (app);

  /* PAS_STALL_MS=N: log every main-loop iteration that works over N ms. */
  if (g_getenv ("PAS_STALL_MS") != NULL)
    self->stall_probe = pas_stall_probe_new (NULL, (guint) g_ascii_strtoull (g_getenv ("PAS_STALL_MS"), NULL, 10),
                                             TRUE);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  /* Anywhere in the window, also with the focus in the header bar. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.follow-folders",
                                         (const char *[]) { "<Control>y", NULL });

  self->settings = g_settings_new (APP_ID);
}

static void
pas_application_dispose (GObject *object)
{
  PasApplication *self = PAS_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->stall_probe, pas_stall_probe_free);
  if (self->prune != NULL)
    g_source_destroy (self->prune);
  g_clear_pointer (&self->prune, g_source_unref);
  while (self->servers->len > 0)
    {
      g_autofree Held *held = g_ptr_array_steal_index (self->servers, self->servers->len - 1);
      release_server (self, held->server);
    }
  g_clear_object (&self->resolver);
  g_clear_object (&self->queue);
  g_clear_object (&self->sessions);

  G_OBJECT_CLASS (pas_application_parent_class)->dispose (object);
}

static void
pas_application_finalize (GObject *object)
{
  PasApplication *self = PAS_APPLICATION (object);

  g_strfreev (self->identities);
  g_free (self->known_hosts);
  g_ptr_array_unref (self->servers);

  G_OBJECT_CLASS (pas_application_parent_class)->finalize (object);
}

static void
pas_application_class_init (PasApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Registered by hand: in a static library the resource's constructor would
   * be dropped by the linker, since nothing else references its object file. */
  passerelle_register_resource ();

  object_class->dispose = pas_application_dispose;
  object_class->finalize = pas_application_finalize;

  app_class->startup = pas_application_startup;
  app_class->activate = pas_application_activate;
  app_class->open = pas_application_open;
  app_class->handle_local_options = pas_application_handle_local_options;
}

static const GOptionEntry options[] = {
  { "identity", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Log in with this private key (may be repeated)"), N_("FILE") },
  { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Check and remember server keys in this file instead of ~/.ssh/known_hosts"), N_("FILE") },
  { NULL }
};

static void
pas_application_init (PasApplication *self)
{
  self->servers = g_ptr_array_new_with_free_func (g_free);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[sftp://[USER@]HOST[:PORT][/FOLDER]…]"));
}
