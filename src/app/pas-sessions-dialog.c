#define G_LOG_DOMAIN "pas-sessions-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-application.h"
#include "pas-keyring.h"
#include "pas-session-editor.h"
#include "pas-sessions-dialog.h"
#include "pas-alert.h"

struct _PasSessionsDialog
{
  AdwPreferencesWindow  parent_instance;

  PasSessionStore      *store;
  GPtrArray            *groups;       /* of AdwPreferencesGroup added after saved_group */
  GPtrArray            *saved_rows;   /* of the rows now in saved_group */
  GPtrArray            *config_hosts; /* of ConfigHost: the Hosts of ~/.ssh/config */
  guint                 n_rows;

  /* Template widgets */
  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *saved_group;
};

enum {
  SIGNAL_CONNECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PasSessionsDialog, pas_sessions_dialog, ADW_TYPE_PREFERENCES_WINDOW)

/* A Host of ~/.ssh/config as the tabs would reach it: resolved once, in a
 * thread, when the dialog opens. */
typedef struct
{
  char           *alias;
  PasDestination *destination;   /* NULL: it does not resolve, see problem */
  char           *problem;
} ConfigHost;

static void
config_host_free (ConfigHost *host)
{
  g_free (host->alias);
  g_clear_pointer (&host->destination, pas_destination_unref);
  g_free (host->problem);
  g_free (host);
}

static ConfigHost *
find_config_host (PasSessionsDialog *self,
                  const char        *alias)
{
  for (guint i = 0; self->config_hosts != NULL && i < self->config_hosts->len; i++)
    {
      ConfigHost *host = g_ptr_array_index (self->config_hosts, i);
      if (g_str_equal (host->alias, alias))
        return host;
    }
  return NULL;
}

static PasResolver *
get_resolver (void)
{
  GApplication *app = g_application_get_default ();

  return PAS_IS_APPLICATION (app) ? g_object_ref (pas_application_get_resolver (PAS_APPLICATION (app)))
                                  : pas_resolver_new ();
}

static void
saved_store_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(PasSessionsDialog) self = data;
  g_autoptr(GError) error = NULL;

  if (!pas_session_store_save_finish (PAS_SESSION_STORE (object), result, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

/* Written in a thread: the UI thread does no file I/O. */
static void
save_store (PasSessionsDialog *self)
{
  pas_session_store_save_async (self->store, NULL, saved_store_cb, g_object_ref (self));
}

/* ---- row actions ------------------------------------------------------------ */

void
pas_sessions_dialog_connect (PasSessionsDialog *self,
                             PasSession        *session)
{
  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));

  g_signal_emit (self, signals[SIGNAL_CONNECT], 0, session);
  gtk_window_close (GTK_WINDOW (self));
}

static void
saved_cb (PasSessionEditor *editor,
          PasSession       *edited,
          PasSession       *original)
{
  PasSessionsDialog *self = g_object_get_data (G_OBJECT (editor), "pas-dialog");

  if (original != NULL)
    pas_session_assign (original, edited);
  else
    pas_session_store_add (self->store, edited);
  save_store (self);
  pas_sessions_dialog_reload (self);
}

static void
unref_if_set (gpointer  data,
              GClosure *closure)
{
  if (data != NULL)
    g_object_unref (data);
}

static GtkWidget *
open_editor (PasSessionsDialog *self,
             PasSession        *session,
             gboolean           is_new)
{
  PasSessionEditor *editor = pas_session_editor_new (GTK_WINDOW (self), session, is_new);

  g_object_set_data (G_OBJECT (editor), "pas-dialog", self);
  g_signal_connect_data (editor, "saved", G_CALLBACK (saved_cb),
                         is_new ? NULL : g_object_ref (session), unref_if_set, 0);
  gtk_window_present (GTK_WINDOW (editor));
  return GTK_WIDGET (editor);
}

GtkWidget *
pas_sessions_dialog_edit (PasSessionsDialog *self,
                          PasSession        *session)
{
  g_return_val_if_fail (PAS_IS_SESSIONS_DIALOG (self), NULL);

  return open_editor (self, session, FALSE);
}

GtkWidget *
pas_sessions_dialog_add (PasSessionsDialog *self)
{
  g_autoptr(PasSession) fresh = pas_session_new ();

  g_return_val_if_fail (PAS_IS_SESSIONS_DIALOG (self), NULL);

  g_object_set (fresh, "port", 22u, NULL);
  return open_editor (self, fresh, TRUE);
}

void
pas_sessions_dialog_duplicate (PasSessionsDialog *self,
                               PasSession        *session)
{
  g_autoptr(PasSession) copy = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));
  g_return_if_fail (PAS_IS_SESSION (session));

  copy = pas_session_copy (session);
  /* Translators: the name of a duplicated session, %s is the original's */
  name = g_strdup_printf (_("%s (copy)"), pas_session_get_name (session));
  g_object_set (copy, "name", name, NULL);
  pas_session_store_add (self->store, copy);
  save_store (self);
  pas_sessions_dialog_reload (self);
}

void
pas_sessions_dialog_delete (PasSessionsDialog *self,
                            PasSession        *session)
{
  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));

  pas_session_store_remove (self->store, session);
  save_store (self);
  pas_sessions_dialog_reload (self);
}

/* The keyring keeps a password by host, port and user (pas-keyring.h). */
static guint16
keyring_port (PasSession *session)
{
  return (guint16) (pas_session_get_port (session) != 0 ? pas_session_get_port (session) : 22);
}

static const char *
keyring_user (PasSession *session)
{
  return pas_session_get_user (session) != NULL ? pas_session_get_user (session) : g_get_user_name ();
}

/* Another saved session whose password is the same keyring entry. */
static PasSession *
sharing_password (PasSessionsDialog *self,
                  PasSession        *session)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(PasSession) other = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (other != session && g_strcmp0 (pas_session_get_host (other), pas_session_get_host (session)) == 0 &&
          keyring_port (other) == keyring_port (session) &&
          g_strcmp0 (keyring_user (other), keyring_user (session)) == 0)
        return other;
    }
  return NULL;
}

static void
delete_response_cb (PasAlert          *dialog,
                    const char        *response,
                    PasSessionsDialog *self)
{
  PasSession *session = g_object_get_data (G_OBJECT (dialog), "pas-session");
  GtkCheckButton *forget = GTK_CHECK_BUTTON (pas_alert_get_extra_child (dialog));

  if (g_strcmp0 (response, "delete") != 0)
    return;
  if (gtk_check_button_get_active (forget) && pas_session_get_host (session) != NULL &&
      sharing_password (self, session) == NULL)
    pas_keyring_clear_password (pas_session_get_host (session), keyring_port (session), keyring_user (session));
  pas_sessions_dialog_delete (self, session);
}

static void
row_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PasSessionsDialog *self = PAS_SESSIONS_DIALOG (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  PasSession *session = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(PasSession) s = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (g_strcmp0 (pas_session_get_id (s), id) == 0)
        session = s;
    }
  if (g_str_equal (action_name, "sessions.copy-config"))
    {
      pas_sessions_dialog_copy_config_host (self, id);
      return;
    }
  if (session == NULL)
    return;
  if (g_str_equal (action_name, "sessions.edit"))
    pas_sessions_dialog_edit (self, session);
  else if (g_str_equal (action_name, "sessions.duplicate"))
    pas_sessions_dialog_duplicate (self, session);
  else if (g_str_equal (action_name, "sessions.delete"))
    {
      /* Translators: %s is a session's name */
      g_autofree char *body = g_strdup_printf (_("“%s” will be removed from the saved sessions."),
                                               pas_session_get_name (session));
      PasAlert *dialog = pas_alert_new (GTK_WIDGET (self), _("Delete Session?"), body);
      GtkWidget *forget = gtk_check_button_new_with_mnemonic (_("Also _forget its password in the keyring"));
      PasSession *sharing = sharing_password (self, session);

      if (sharing != NULL)
        {
          /* Translators: %s is another saved session's name */
          g_autofree char *kept = g_strdup_printf (_("Its password stays in the keyring: “%s” uses it too"),
                                                   pas_session_get_name (sharing));

          /* A duplicate's password is its original's. */
          gtk_check_button_set_use_underline (GTK_CHECK_BUTTON (forget), FALSE);
          gtk_check_button_set_label (GTK_CHECK_BUTTON (forget), kept);
          gtk_widget_set_sensitive (forget, FALSE);
        }
      else
        gtk_check_button_set_active (GTK_CHECK_BUTTON (forget), TRUE);
      pas_alert_set_extra_child (dialog, forget);
      pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
      pas_alert_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
      pas_alert_set_default_response (dialog, "cancel");
      pas_alert_set_close_response (dialog, "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "pas-session", g_object_ref (session), g_object_unref);
      g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
      pas_alert_present (dialog);
    }
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pas_sessions_dialog_add (PAS_SESSIONS_DIALOG (widget));
}

/* ---- ~/.ssh/config hosts ------------------------------------------------------- */

/**
 * pas_sessions_dialog_config_host:
 *
 * Returns: (transfer full): a session for the ~/.ssh/config host @alias:
 *   the alias itself as its host, so connecting resolves it through
 *   ssh_config with everything it says (port, keys, jump hosts)
 */
PasSession *
pas_sessions_dialog_config_host (PasSessionsDialog *self,
                                 const char        *alias)
{
  PasSession *session = pas_session_new ();

  g_return_val_if_fail (PAS_IS_SESSIONS_DIALOG (self), NULL);

  g_object_set (session, "name", alias, "host", alias, "port", 0u, NULL);
  return session;
}

static char *
jumps_text (PasDestination *destination)
{
  PasDestination **jumps = pas_destination_get_jumps (destination);
  GString *text;

  if (jumps[0] == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; jumps[i] != NULL; i++)
    {
      const char *host = pas_destination_get_host (jumps[i]);
      gboolean v6 = strchr (host, ':') != NULL;

      g_string_append_printf (text, "%s%s@%s%s%s:%u", i > 0 ? "," : "", pas_destination_get_user (jumps[i]),
                              v6 ? "[" : "", host, v6 ? "]" : "", pas_destination_get_port (jumps[i]));
    }
  return g_string_free (text, FALSE);
}

/* A saved session stands alone: what ssh_config says (as resolved when the
 * dialog opened) is written out. */
void
pas_sessions_dialog_copy_config_host (PasSessionsDialog *self,
                                      const char        *alias)
{
  ConfigHost *host;
  g_autoptr(PasSession) session = pas_session_new ();
  PasDestination *destination;
  const char * const *keys;
  g_autofree char *jumps = NULL;

  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));

  host = find_config_host (self, alias);
  if (host == NULL || host->destination == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (host != NULL ? host->problem : alias));
      return;
    }
  destination = host->destination;
  keys = pas_destination_get_identity_files (destination);
  jumps = jumps_text (destination);
  g_object_set (session, "name", alias, "host", pas_destination_get_host (destination),
                "user", pas_destination_get_user (destination),
                "port", (guint) pas_destination_get_port (destination),
                "jump", jumps, NULL);
  if (keys != NULL && keys[0] != NULL)
    g_object_set (session, "key-file", keys[0], NULL);
  pas_session_store_add (self->store, session);
  save_store (self);
  pas_sessions_dialog_reload (self);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Copied to saved sessions")));
}

/* ---- FileZilla import ------------------------------------------------------------ */

/* Reading and parsing in a thread: the file comes from anywhere (a slow
 * mount, a big file that is not a Site Manager file). */
static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree char *text = NULL;
  GPtrArray *sites;
  GError *error = NULL;
  guint skipped = 0;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  sites = pas_filezilla_parse (text, (gssize) length, &skipped, &error);
  pas_secret_wipe (text, length);
  if (sites == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "pas-skipped", GUINT_TO_POINTER (skipped));
  g_task_return_pointer (task, sites, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * pas_sessions_dialog_import_filezilla_async:
 *
 * Adds the SFTP sites of a FileZilla sitemanager.xml; their stored
 * passwords go to the keyring, never into our file. The file is read and
 * parsed in a thread; the sessions are added when it is done.
 */
void
pas_sessions_dialog_import_filezilla_async (PasSessionsDialog  *self,
                                            const char         *path,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));

  task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, pas_sessions_dialog_import_filezilla_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * pas_sessions_dialog_import_filezilla_finish:
 *
 * Returns: how many sessions were added; -1 with @error
 */
int
pas_sessions_dialog_import_filezilla_finish (PasSessionsDialog *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_autoptr(GPtrArray) sites = NULL;
  g_autofree char *message = NULL;
  guint skipped, passwords = 0;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_sessions_dialog_import_filezilla_async, -1);

  sites = g_task_propagate_pointer (G_TASK (result), error);
  if (sites == NULL)
    return -1;
  skipped = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "pas-skipped"));

  for (guint i = 0; i < sites->len; i++)
    {
      PasFilezillaSite *site = g_ptr_array_index (sites, i);
      PasSession *session = site->session;

      pas_session_store_add (self->store, session);
      if (site->password != NULL)
        {
          pas_keyring_store_password (pas_session_get_host (session), keyring_port (session), keyring_user (session),
                                      site->password);
          passwords++;
        }
    }
  save_store (self);
  pas_sessions_dialog_reload (self);

  /* Translators: after an import; the first %u counts sessions */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u session", "Imported %u sessions", sites->len),
                             sites->len);
  if (passwords > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s; %u password moved to the keyring",
                                                            "%s; %u passwords moved to the keyring", passwords),
                                               message, passwords);
      g_free (message);
      message = g_steal_pointer (&more);
    }
  if (skipped > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s; %u site that is not SFTP was left out",
                                                            "%s; %u sites that are not SFTP were left out", skipped),
                                               message, skipped);
      g_free (message);
      message = g_steal_pointer (&more);
    }
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  return (int) sites->len;
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PasSessionsDialog *self = PAS_SESSIONS_DIALOG (source);
  g_autoptr(GError) error = NULL;

  if (pas_sessions_dialog_import_filezilla_finish (self, result, &error) < 0)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
import_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  PasSessionsDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        pas_sessions_dialog_import_filezilla_async (self, path, NULL, imported_cb, NULL);
    }
  g_object_unref (chooser);
}

static void
import_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PasSessionsDialog *self = PAS_SESSIONS_DIALOG (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import FileZilla Sites"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                                               _("_Cancel"));
  g_autofree char *folder_path = g_build_filename (g_get_user_config_dir (), "filezilla", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("FileZilla Site Manager (sitemanager.xml)"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the list ---------------------------------------------------------------- */

static void
row_activated_cb (AdwActionRow      *row,
                  PasSessionsDialog *self)
{
  PasSession *session = g_object_get_data (G_OBJECT (row), "pas-session");
  const char *alias = g_object_get_data (G_OBJECT (row), "pas-alias");

  if (session != NULL)
    pas_sessions_dialog_connect (self, session);
  else if (alias != NULL)
    {
      g_autoptr(PasSession) made = pas_sessions_dialog_config_host (self, alias);
      pas_sessions_dialog_connect (self, made);
    }
}

static void
add_item (GMenu      *menu,
          const char *label,
          const char *action,
          const char *id)
{
  g_autoptr(GVariant) target = g_variant_ref_sink (g_variant_new_string (id));
  g_autofree char *detailed = g_action_print_detailed_name (action, target);
  g_autoptr(GMenuItem) item = g_menu_item_new (label, detailed);

  g_menu_append_item (menu, item);
}

static GtkWidget *
menu_button (const char *id,
             gboolean    from_config)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();

  if (from_config)
    add_item (menu, _("_Copy to Saved Sessions"), "sessions.copy-config", id);
  else
    {
      add_item (menu, _("_Edit…"), "sessions.edit", id);
      add_item (menu, _("D_uplicate"), "sessions.duplicate", id);
      add_item (menu, _("_Delete…"), "sessions.delete", id);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("More"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("More"), -1);
  return button;
}

static GtkWidget *
make_row (PasSessionsDialog *self,
          const char        *title,
          const char        *subtitle,
          const char        *id,
          gboolean           from_config)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (from_config ? "text-x-generic-symbolic"
                                                                       : "network-server-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button (id, from_config));
  g_signal_connect (row, "activated", G_CALLBACK (row_activated_cb), self);
  self->n_rows++;
  return row;
}

static char *
describe (PasSession *session)
{
  const char *user = pas_session_get_user (session);
  guint port = pas_session_get_port (session);

  if (port != 0 && port != 22)
    return g_strdup_printf ("%s%s%s:%u", user != NULL ? user : "", user != NULL ? "@" : "",
                            pas_session_get_host (session), port);
  return g_strdup_printf ("%s%s%s", user != NULL ? user : "", user != NULL ? "@" : "", pas_session_get_host (session));
}

/* The sessions of @folder: the template's group for those without one. */
static AdwPreferencesGroup *
group_for (PasSessionsDialog *self,
           GHashTable        *by_folder,
           const char        *folder)
{
  AdwPreferencesGroup *group;

  if (folder[0] == '\0')
    return self->saved_group;
  group = g_hash_table_lookup (by_folder, folder);
  if (group == NULL)
    {
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, folder);
      g_hash_table_insert (by_folder, g_strdup (folder), group);
      g_ptr_array_add (self->groups, group);
    }
  return group;
}

static int
compare_folders (gconstpointer a,
                 gconstpointer b)
{
  const char *fa = adw_preferences_group_get_title (*(AdwPreferencesGroup **) a);
  const char *fb = adw_preferences_group_get_title (*(AdwPreferencesGroup **) b);

  return g_utf8_collate (fa, fb);
}

void
pas_sessions_dialog_reload (PasSessionsDialog *self)
{
  g_autoptr(GHashTable) by_folder = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *sessions;

  g_return_if_fail (PAS_IS_SESSIONS_DIALOG (self));

  sessions = G_LIST_MODEL (self->store);

  for (guint i = 0; i < self->saved_rows->len; i++)
    adw_preferences_group_remove (self->saved_group, g_ptr_array_index (self->saved_rows, i));
  g_ptr_array_set_size (self->saved_rows, 0);
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  self->n_rows = 0;

  /* The unfiled sessions first, then folders by name. */
  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(PasSession) session = g_list_model_get_item (sessions, i);
      const char *folder = pas_session_get_folder (session);
      g_autofree char *subtitle = describe (session);
      GtkWidget *row = make_row (self, pas_session_get_name (session), subtitle,
                                 pas_session_get_id (session), FALSE);
      AdwPreferencesGroup *group = group_for (self, by_folder, folder != NULL ? folder : "");

      g_object_set_data_full (G_OBJECT (row), "pas-session", g_object_ref (session), g_object_unref);
      adw_preferences_group_add (group, row);
      if (group == self->saved_group)
        g_ptr_array_add (self->saved_rows, row);
    }
  if (self->groups->len > 1)
    g_ptr_array_sort (self->groups, compare_folders);
  if (g_list_model_get_n_items (sessions) > 0)
    adw_preferences_group_set_description (self->saved_group, NULL);
  else
    adw_preferences_group_set_description (self->saved_group,
                                           self->config_hosts != NULL && self->config_hosts->len > 0
                                             ? _("No saved session yet. Add one, or connect to a host "
                                                 "from ~/.ssh/config below.")
                                             : _("No saved session yet. Add one with the + button, "
                                                 "or import your FileZilla sites."));

  if (self->config_hosts != NULL && self->config_hosts->len > 0)
    {
      AdwPreferencesGroup *config = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      adw_preferences_group_set_title (config, _("From ~/.ssh/config"));
      adw_preferences_group_set_description (config, _("Read-only; copy one to save it as a session."));
      for (guint i = 0; i < self->config_hosts->len; i++)
        {
          ConfigHost *host = g_ptr_array_index (self->config_hosts, i);
          g_autofree char *where = host->destination != NULL ? pas_destination_describe (host->destination)
                                                             : g_strdup (host->problem);
          GtkWidget *row = make_row (self, host->alias, where, host->alias, TRUE);

          g_object_set_data_full (G_OBJECT (row), "pas-alias", g_strdup (host->alias), g_free);
          adw_preferences_group_add (config, row);
        }
      g_ptr_array_add (self->groups, config);
    }
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_add (self->page, g_ptr_array_index (self->groups, i));
}

guint
pas_sessions_dialog_get_n_rows (PasSessionsDialog *self)
{
  g_return_val_if_fail (PAS_IS_SESSIONS_DIALOG (self), 0);

  return self->n_rows;
}

static void
config_hosts_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PasSessionsDialog *self = PAS_SESSIONS_DIALOG (source);
  GPtrArray *hosts = g_task_propagate_pointer (G_TASK (result), NULL);

  g_clear_pointer (&self->config_hosts, g_ptr_array_unref);
  self->config_hosts = hosts;
  pas_sessions_dialog_reload (self);
}

/* ~/.ssh/config may include other files, and the jump hosts resolve too:
 * in a thread, with the application's resolver as the tabs use it. */
static void
config_hosts_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  PasResolver *resolver = task_data;
  g_autoptr(PasSshConfig) config = pas_ssh_config_load (NULL, NULL);
  g_auto(GStrv) aliases = config != NULL ? pas_ssh_config_list_hosts (config) : NULL;
  GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) config_host_free);

  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    {
      ConfigHost *host = g_new0 (ConfigHost, 1);
      PasAddress address = { .name = aliases[i] };
      g_autoptr(GError) error = NULL;

      host->alias = g_strdup (aliases[i]);
      host->destination = pas_resolver_resolve (resolver, &address, &error);
      if (host->destination == NULL)
        host->problem = g_strdup (error->message);
      g_ptr_array_add (hosts, host);
    }
  g_task_return_pointer (task, hosts, (GDestroyNotify) g_ptr_array_unref);
}

PasSessionsDialog *
pas_sessions_dialog_new (GtkWindow       *parent,
                         PasSessionStore *store)
{
  PasSessionsDialog *self = g_object_new (PAS_TYPE_SESSIONS_DIALOG,
                                          "transient-for", parent,
                                          "modal", TRUE,
                                          NULL);
  g_autoptr(GTask) task = g_task_new (self, NULL, config_hosts_cb, NULL);

  self->store = g_object_ref (store);
  pas_sessions_dialog_reload (self);
  g_task_set_task_data (task, get_resolver (), g_object_unref);
  g_task_run_in_thread (task, config_hosts_thread);
  return self;
}

static void
pas_sessions_dialog_finalize (GObject *object)
{
  PasSessionsDialog *self = PAS_SESSIONS_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->saved_rows, g_ptr_array_unref);
  g_clear_pointer (&self->config_hosts, g_ptr_array_unref);

  G_OBJECT_CLASS (pas_sessions_dialog_parent_class)->finalize (object);
}

static void
pas_sessions_dialog_class_init (PasSessionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pas_sessions_dialog_finalize;

  /* Emitted with the session to open; the dialog closes. */
  signals[SIGNAL_CONNECT] =
    g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PAS_TYPE_SESSION);

  gtk_widget_class_install_action (widget_class, "sessions.add", NULL, add_action_cb);
  gtk_widget_class_install_action (widget_class, "sessions.import-filezilla", NULL, import_action_cb);
  gtk_widget_class_install_action (widget_class, "sessions.edit", "s", row_action_cb);
  gtk_widget_class_install_action (widget_class, "sessions.duplicate", "s", row_action_cb);
  gtk_widget_class_install_action (widget_class, "sessions.delete", "s", row_action_cb);
  gtk_widget_class_install_action (widget_class, "sessions.copy-config", "s", row_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "sessions.add", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/passerelle/Passerelle/pas-sessions-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PasSessionsDialog, page);
  gtk_widget_class_bind_template_child (widget_class, PasSessionsDialog, saved_group);
}

static void
pas_sessions_dialog_init (PasSessionsDialog *self)
{
  self->groups = g_ptr_array_new ();
  self->saved_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
