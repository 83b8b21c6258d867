#define G_LOG_DOMAIN "pas-session-editor"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pas-application.h"
#include "pas-gtk-interaction.h"
#include "pas-keyring.h"
#include "pas-session-editor-private.h"
#include "pas-alert.h"

enum {
  SIGNAL_SAVED,
  SIGNAL_TESTED,
  SIGNAL_KEY_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PasSessionEditor, pas_session_editor, ADW_TYPE_WINDOW)

void
pas_session_editor_emit_key_done (PasSessionEditor *self)
{
  g_signal_emit (self, signals[SIGNAL_KEY_DONE], 0);
}

void
pas_session_assign (PasSession *to,
                    PasSession *from)
{
  guint n = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(specs[i]->flags & G_PARAM_WRITABLE) || !(specs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (from), specs[i]->name, &value);
      g_object_set_property (G_OBJECT (to), specs[i]->name, &value);
    }
}

/* ---- validation ------------------------------------------------------------ */

static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || host[0] == '\0' || host[0] == '-' || strlen (host) > 255)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".-_:[]%", *p) == NULL)
      return FALSE;
  return TRUE;
}

static const char *
text_of (PasSessionEditor *self,
         const char       *property)
{
  return gtk_editable_get_text (g_hash_table_lookup (self->entries, property));
}

static void
mark (PasSessionEditor *self,
      const char       *property,
      gboolean          bad)
{
  GtkWidget *row = GTK_WIDGET (g_hash_table_lookup (self->entries, property));

  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}


static void
key_check_thread (GTask        *task,
                  gpointer      source,
                  gpointer      path,
                  GCancellable *cancellable)
{
  g_task_return_boolean (task, access (path, R_OK) == 0);
}

static void
key_checked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PasSessionEditor *self = PAS_SESSION_EDITOR (object);
  g_autoptr(GError) error = NULL;
  gboolean readable = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->key_check);
  g_free (self->key_checked);
  self->key_checked = g_steal_pointer (&self->key_checking);
  self->key_readable = readable;
  pas_session_editor_validate (self);
}

void
pas_session_editor_forget_key_check (PasSessionEditor *self)
{
  g_clear_pointer (&self->key_checked, g_free);
}

/* TRUE with the answer in @readable when @path was checked; else starts
 * checking it (validate() runs again with the answer). */
static gboolean
key_is_checked (PasSessionEditor *self,
                const char       *path,
                gboolean         *readable)
{
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (path, self->key_checked) == 0)
    {
      *readable = self->key_readable;
      return TRUE;
    }
  if (self->key_check != NULL && g_strcmp0 (path, self->key_checking) == 0)
    return FALSE;
  g_cancellable_cancel (self->key_check);
  g_clear_object (&self->key_check);
  g_free (self->key_checking);
  self->key_checking = g_strdup (path);
  self->key_check = g_cancellable_new ();
  task = g_task_new (self, self->key_check, key_checked_cb, NULL);
  g_task_set_source_tag (task, key_is_checked);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, key_check_thread);
  return FALSE;
}

void
pas_session_editor_validate (PasSessionEditor *self)
{
  const char *host = text_of (self, "host");
  const char *key = text_of (self, "key-file");
  const char *jump = text_of (self, "jump");
  gboolean host_bad = !host_is_valid (host);
  gboolean host_bad_shown = host_bad;
  gboolean jump_bad = jump[0] != '\0' && (strpbrk (jump, " \t") != NULL || strstr (jump, ",,") != NULL ||
                                          jump[0] == ',' || jump[strlen (jump) - 1] == ',' || jump[0] == '-');
  gboolean key_needed = adw_combo_row_get_selected (self->auth) == PAS_AUTH_KEY;
  g_autoptr(GError) key_error = NULL;
  /* ~ and $HOME as in ssh_config; a .pub stands for its private half. */
  g_autofree char *key_path = pas_resolver_expand_key_path (key, &key_error);
  gboolean key_wanted = key[0] != '\0' || key_needed;
  gboolean key_readable = FALSE;
  /* Checked now, not at login: the answer comes from a thread, and Save
   * waits for it. */
  gboolean key_pending = key_wanted && key_path != NULL && !key_is_checked (self, key_path, &key_readable);
  gboolean key_bad = key_wanted && !key_pending && (key_path == NULL || !key_readable);

  self->key_pending = key_pending;
  g_clear_pointer (&self->problem, g_free);
  if (host_bad)
    self->problem = g_strdup (host[0] == '\0' ? _("A host is needed: a name such as example.com, or an address.")
                                              : _("The host can only hold letters, digits, dots, dashes, "
                                                  "colons and brackets, and cannot start with a dash."));
  else if (key_bad)
    self->problem = g_strdup (key[0] == '\0' ? _("Key login needs a key file.")
                              : key_error != NULL ? key_error->message
                              : _("The key file cannot be read."));
  else if (jump_bad)
    self->problem = g_strdup (_("Write jump hosts as user@host:port, several separated by commas, without spaces."));
  /* A new, empty form is not told off before anything was typed: Save
   * waits, quietly. */
  if (host[0] == '\0' && !self->host_edited)
    host_bad_shown = FALSE;
  mark (self, "host", host_bad_shown);
  mark (self, "jump", jump_bad);
  mark (self, "key-file", key_bad);
  /* Said at the group of the field at fault, where the eye already is. */
  adw_preferences_group_set_description (self->server_group, host_bad_shown || (jump_bad && !key_bad && !host_bad)
                                                              ? self->problem : NULL);
  adw_preferences_group_set_description (self->login_group, key_bad && !host_bad ? self->problem : NULL);
  gtk_widget_set_visible (self->password, adw_combo_row_get_selected (self->auth) == PAS_AUTH_AUTO ||
                                          adw_combo_row_get_selected (self->auth) == PAS_AUTH_PASSWORD);
  gtk_widget_set_sensitive (self->save_button, self->problem == NULL && !key_pending);
  gtk_widget_set_sensitive (self->test_button, self->problem == NULL && !key_pending && self->testing == NULL &&
                                               self->resolving == NULL);
}

/* The fields into the session copy. */
void
pas_session_editor_collect (PasSessionEditor *self)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *name;
  guint port;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (value)));
      g_object_set (self->session, key, text[0] != '\0' ? text : NULL, NULL);
    }
  /* A session without a port shows 22 and keeps none while it says 22:
   * ~/.ssh/config (its host may be an alias) then decides, else 22. */
  port = (guint) gtk_spin_button_get_value_as_int (self->port);
  if (port == 22 && self->port_unset)
    port = 0;
  g_object_set (self->session,
                "port", port,
                "keepalive", (guint) gtk_spin_button_get_value_as_int (self->keepalive),
                "connect-timeout", (guint) gtk_spin_button_get_value_as_int (self->timeout),
                "auth", adw_combo_row_get_selected (self->auth),
                NULL);
  name = pas_session_get_name (self->session);
  if (name == NULL || name[0] == '\0')
    g_object_set (self->session, "name", pas_session_get_host (self->session), NULL);
}

/* ---- test connection ----------------------------------------------------------- */

static void
set_test_result (PasSessionEditor *self,
                 const char       *text,
                 gboolean          good)
{
  g_free (self->test_result);
  self->test_result = g_strdup (text);
  gtk_label_set_text (self->test_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), good ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_label), good ? "success" : "error");
  /* The result heads the form: brought into view (the button that asked
   * for it is in the header, whatever the scroll). */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->test_label), GTK_TYPE_SCROLLED_WINDOW);

    if (scroller != NULL)
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
  }
  g_signal_emit (self, signals[SIGNAL_TESTED], 0);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  PasConnection *connection = PAS_CONNECTION (source);

  if (!pas_connection_connect_finish (connection, result, &error))
    {
      g_autofree char *text = pas_error_describe (error, " ");
      pas_gtk_interaction_forget_secrets (self->interaction);
      set_test_result (self, text, FALSE);
    }
  else
    {
      /* Translators: the result of "Test Connection": a user and a login method such as publickey */
      g_autofree char *text = g_strdup_printf (_("Connected as %s (%s)."), pas_connection_get_user (connection),
                                               pas_connection_get_auth_method (connection));
      pas_gtk_interaction_commit_secrets (self->interaction);
      set_test_result (self, text, TRUE);
      pas_connection_close (connection);
    }
  g_clear_object (&self->testing);
  pas_session_editor_validate (self);
}

/* What to do once the form is resolved. */

typedef struct
{
  PasSessionEditor *self;
  ResolvedFunc      then;
} Resolving;

static void test_resolved (PasSessionEditor *self, PasDestination *destination);

static void
form_resolved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree Resolving *resolving = user_data;
  g_autoptr(PasSessionEditor) self = resolving->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasDestination) destination = pas_resolver_resolve_session_finish (PAS_RESOLVER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (resolving->then == pas_session_editor_install_resolved || resolving->then == test_resolved)
    g_clear_object (&self->resolving);
  if (destination == NULL && (resolving->then == pas_session_editor_install_resolved || resolving->then == test_resolved))
    {
      g_autofree char *text = pas_error_describe (error, " ");
      if (resolving->then == pas_session_editor_install_resolved)
        pas_session_editor_set_key_result (self, text, FALSE);
      else
        set_test_result (self, text, FALSE);
      pas_session_editor_validate (self);
      return;
    }
  resolving->then (self, destination);
}

/* The form as the tabs would connect to it: the application's resolver
 * (its ssh_config, its --known-hosts), so a host that is an ssh_config
 * alias gets the alias's HostName, port and jump hosts here too. Files
 * are read, so off the UI thread. */
static void
resolve_form_full (PasSessionEditor *self,
                   ResolvedFunc      then,
                   GCancellable     *cancellable)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(PasResolver) own = NULL;
  PasResolver *resolver = PAS_IS_APPLICATION (app) ? pas_application_get_resolver (PAS_APPLICATION (app))
                                                   : (own = pas_resolver_new ());
  Resolving *resolving = g_new0 (Resolving, 1);

  pas_session_editor_collect (self);
  resolving->self = g_object_ref (self);
  resolving->then = then;
  pas_resolver_resolve_session_async (resolver, self->session, cancellable, form_resolved_cb, resolving);
}

void
pas_session_editor_resolve_form (PasSessionEditor *self,
                                 ResolvedFunc      then)
{
  self->resolving = g_cancellable_new ();
  gtk_label_set_text (self->test_label, _("Connecting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "success");
  pas_session_editor_validate (self);
  resolve_form_full (self, then, self->resolving);
}

/* Test Connection logs in afresh, even when a tab is connected to the same
 * server: joining that connection would not test the form's login. */
PasConnection *
pas_session_editor_new_connection (PasSessionEditor *self,
                                   PasDestination   *destination)
{
  PasConnection *connection = pas_connection_new_for_destination (destination);

  if (self->interaction == NULL)
    self->interaction = pas_gtk_interaction_new (GTK_WINDOW (self));
  /* The password typed in the form is the one to try (also while the
   * form says "Key file": installing the key logs in with it). */
  pas_gtk_interaction_set_password (self->interaction, gtk_editable_get_text (GTK_EDITABLE (self->password)));
  pas_connection_set_interaction (connection, PAS_INTERACTION (self->interaction));
  return connection;
}

static void
test_resolved (PasSessionEditor *self,
               PasDestination   *destination)
{
  g_clear_pointer (&self->tested, pas_destination_unref);
  self->tested = pas_destination_ref (destination);
  self->testing = pas_session_editor_new_connection (self, destination);
  pas_session_editor_validate (self);
  pas_connection_connect_async (self->testing, NULL, tested_cb, g_object_ref (self));
}

void
pas_session_editor_test_connection (PasSessionEditor *self)
{
  g_return_if_fail (PAS_IS_SESSION_EDITOR (self));

  if (self->problem != NULL || self->testing != NULL || self->resolving != NULL)
    return;
  g_clear_pointer (&self->test_result, g_free);
  pas_session_editor_resolve_form (self, test_resolved);
}

/**
 * pas_session_editor_get_tested_destination:
 *
 * What the last Test Connection connected to, as the resolver made it.
 *
 * Returns: (transfer none) (nullable): the destination
 */
PasDestination *
pas_session_editor_get_tested_destination (PasSessionEditor *self)
{
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);
  return self->tested;
}

const char *
pas_session_editor_get_test_result (PasSessionEditor *self)
{
  return self->test_result;
}

static void
test_clicked_cb (GtkButton        *button,
                 PasSessionEditor *self)
{
  pas_session_editor_test_connection (self);
}


/* ---- saving ---------------------------------------------------------------------- */

static void
finish_save (PasSessionEditor *self)
{
  self->may_close = TRUE;
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->session);
  gtk_window_close (GTK_WINDOW (self));
}

static const char *
typed_password (PasSessionEditor *self)
{
  return gtk_widget_get_visible (self->password) ? gtk_editable_get_text (GTK_EDITABLE (self->password)) : "";
}

/* The keyring files passwords by the server the form resolves to (an
 * ssh_config alias's HostName, port and user), as the tabs look them up. */
static void
password_resolved (PasSessionEditor *self,
                   PasDestination   *destination)
{
  const char *password = typed_password (self);
  /* Not resolved (a broken ~/.ssh/config): as the form says. */
  const char *host = destination != NULL ? pas_destination_get_host (destination) : pas_session_get_host (self->session);
  guint16 port = destination != NULL ? pas_destination_get_port (destination)
                                     : pas_session_get_port (self->session) != 0 ? pas_session_get_port (self->session) : 22;
  const char *user = destination != NULL ? pas_destination_get_user (destination) : pas_session_get_user (self->session);

  if (user == NULL)
    user = g_get_user_name ();
  if (password[0] != '\0')
    pas_keyring_store_password (host, port, user, password);
  else
    pas_keyring_clear_password (host, port, user);
  finish_save (self);
}

void
pas_session_editor_save (PasSessionEditor *self)
{
  g_return_if_fail (PAS_IS_SESSION_EDITOR (self));

  pas_session_editor_validate (self);
  if (self->problem != NULL)
    return;
  pas_session_editor_collect (self);
  /* A password typed or removed goes to the keyring, never to a file. */
  if (g_strcmp0 (typed_password (self), self->loaded_password != NULL ? self->loaded_password : "") != 0)
    {
      gtk_widget_set_sensitive (self->save_button, FALSE);
      resolve_form_full (self, password_resolved, NULL);
    }
  else
    finish_save (self);
}

/* An edited session shows the password the keyring holds for it. */
static void
password_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  char *found = pas_keyring_lookup_finish (result);

  if (found == NULL || self->loading == NULL || g_cancellable_is_cancelled (self->loading))
    {
      pas_secret_free (found);
      return;
    }
  self->loaded_password = found;
  /* Unless something was typed meanwhile. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->password))[0] == '\0')
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->password), found);
      self->filling = FALSE;
    }
}

static void
password_lookup_resolved (PasSessionEditor *self,
                          PasDestination   *destination)
{
  if (destination == NULL || self->loading == NULL || g_cancellable_is_cancelled (self->loading))
    return;
  pas_keyring_lookup_password_async (pas_destination_get_host (destination), pas_destination_get_port (destination),
                                     pas_destination_get_user (destination), self->loading, password_found_cb,
                                     g_object_ref (self));
}

static void
save_clicked_cb (GtkButton        *button,
                 PasSessionEditor *self)
{
  pas_session_editor_save (self);
}

static void
cancel_clicked_cb (GtkButton        *button,
                   PasSessionEditor *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
changed_cb (PasSessionEditor *self)
{
  if (!self->filling)
    self->dirty = TRUE;
  /* A result says nothing of a form changed since: it goes. */
  if (self->testing == NULL && self->resolving == NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->test_label), FALSE);
  pas_session_editor_validate (self);
}

static void
host_edited_cb (PasSessionEditor *self)
{
  self->host_edited = TRUE;
  pas_session_editor_validate (self);
}

static void
key_chosen_cb (GtkNativeDialog  *chooser,
               int               response,
               PasSessionEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      /* The public half picked: its private half, when beside it (else
       * the form says to choose the private key). */
      g_autofree char *private = path != NULL ? pas_resolver_expand_key_path (path, NULL) : NULL;

      if (path != NULL)
        gtk_editable_set_text (g_hash_table_lookup (self->entries, "key-file"), private != NULL ? private : path);
    }
  g_object_unref (chooser);
}

static void
choose_key_clicked_cb (GtkButton        *button,
                       PasSessionEditor *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose a Private Key"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                                               _("_Cancel"));
  g_autofree char *ssh = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (ssh);

  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (key_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- building ---------------------------------------------------------------- */

static GtkWidget *
entry_row (PasSessionEditor *self,
           const char       *property,
           const char       *title)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *value = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_get (self->session, property, &value, NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  /* Typing the key's path again checks the file again (it may have been
   * made meanwhile): before validate() runs. */
  if (g_str_equal (property, "key-file"))
    g_signal_connect_swapped (row, "changed", G_CALLBACK (pas_session_editor_forget_key_check), self);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
  g_hash_table_insert (self->entries, g_strdup (property), row);
  return row;
}

static GtkSpinButton *
spin_row (AdwPreferencesGroup *group,
          const char          *title,
          const char          *subtitle,
          guint                value,
          guint                max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
build (PasSessionEditor *self,
       gboolean          is_new)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *server = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *login = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *folders = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *advanced = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkStringList *methods = gtk_string_list_new ((const char *[]) {
    _("Automatic (agent, keys, then password)"), _("Password"), _("Key file"), _("SSH agent"),
    _("Keyboard-interactive"), NULL });
  GtkWidget *key_row;
  GtkWidget *choose;

  gtk_window_set_title (GTK_WINDOW (self), is_new ? _("New Session") : _("Edit Session"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  self->test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  g_signal_connect (self->test_button, "clicked", G_CALLBACK (test_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->test_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  self->server_group = server;
  self->login_group = login;
  adw_preferences_group_set_title (server, _("Server"));
  adw_preferences_group_add (server, entry_row (self, "name", _("Name")));
  adw_preferences_group_add (server, entry_row (self, "folder", _("Folder (groups sessions)")));
  {
    GtkWidget *host = entry_row (self, "host", _("Host"));

    g_signal_connect_swapped (host, "changed", G_CALLBACK (host_edited_cb), self);
    adw_preferences_group_add (server, host);
  }
  self->port = spin_row (server, _("Port"), NULL,
                         pas_session_get_port (self->session) != 0 ? pas_session_get_port (self->session) : 22, 65535);
  gtk_spin_button_set_range (self->port, 1, 65535);
  adw_preferences_group_add (server, entry_row (self, "user", _("User")));
  {
    GtkWidget *jump = entry_row (self, "jump", _("Jump host"));
    /* Translators: a hint under "Jump host"; keep user@host:port as is */
    gtk_widget_set_tooltip_text (jump, _("Reach the server through these hosts, as ssh -J does: "
                                         "user@host:port, several separated by commas; "
                                         "empty uses ~/.ssh/config, none goes direct"));
    adw_preferences_group_add (server, jump);
  }

  adw_preferences_group_set_title (login, _("Login"));
  self->auth = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->auth), _("Method"));
  adw_combo_row_set_model (self->auth, G_LIST_MODEL (methods));
  adw_combo_row_set_selected (self->auth, pas_session_get_auth (self->session));
  g_signal_connect_swapped (self->auth, "notify::selected", G_CALLBACK (changed_cb), self);
  adw_preferences_group_add (login, GTK_WIDGET (self->auth));
  self->password = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password), _("Password"));
  gtk_widget_set_tooltip_text (self->password, _("Kept in the desktop keyring when you save, never in a file; "
                                                 "empty: asked when needed"));
  g_signal_connect_swapped (self->password, "changed", G_CALLBACK (changed_cb), self);
  adw_preferences_group_add (login, self->password);
  key_row = entry_row (self, "key-file", _("Key file"));
  choose = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (choose, "flat");
  gtk_widget_set_tooltip_text (choose, _("Choose a Private Key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose a Private Key"), -1);
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_key_clicked_cb), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (key_row), choose);
  adw_preferences_group_add (login, key_row);
  {
    GtkWidget *generate = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (generate), _("_Generate a New Key…"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (generate), TRUE);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (generate), TRUE);
    adw_action_row_add_suffix (ADW_ACTION_ROW (generate), gtk_image_new_from_icon_name ("go-next-symbolic"));
    g_signal_connect_swapped (generate, "activated", G_CALLBACK (pas_session_editor_generate_clicked_cb), self);
    adw_preferences_group_add (login, generate);

    self->install_row = ADW_ACTION_ROW (adw_action_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->install_row), _("_Install My Public Key on the Server"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->install_row), TRUE);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->install_row), TRUE);
    adw_action_row_add_suffix (self->install_row, gtk_image_new_from_icon_name ("go-next-symbolic"));
    g_signal_connect_swapped (self->install_row, "activated", G_CALLBACK (pas_session_editor_install_clicked_cb), self);
    adw_preferences_group_add (login, GTK_WIDGET (self->install_row));
  }
  g_object_unref (methods);

  adw_preferences_group_set_title (folders, _("Start Folders"));
  adw_preferences_group_add (folders, entry_row (self, "remote-folder", _("Remote folder")));
  adw_preferences_group_add (folders, entry_row (self, "local-folder", _("Local folder")));

  adw_preferences_group_set_title (advanced, _("Advanced"));
  adw_preferences_group_add (advanced, entry_row (self, "sftp-server", _("SFTP server command")));
  self->keepalive = spin_row (advanced, _("Keepalive"), _("Seconds between keepalives; 0 for the default"),
                              pas_session_get_keepalive (self->session), 3600);
  self->timeout = spin_row (advanced, _("Connect timeout"), _("Seconds; 0 for the default"),
                            pas_session_get_connect_timeout (self->session), 600);
  g_signal_connect_swapped (self->port, "value-changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->keepalive, "value-changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->timeout, "value-changed", G_CALLBACK (changed_cb), self);
  adw_preferences_group_add (advanced, entry_row (self, "notes", _("Notes")));

  /* Results first, where they are seen without scrolling. */
  {
    AdwPreferencesGroup *results = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

    self->test_label = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_wrap (self->test_label, TRUE);
    gtk_label_set_selectable (self->test_label, TRUE);
    gtk_label_set_xalign (self->test_label, 0.0f);
    gtk_widget_set_visible (GTK_WIDGET (self->test_label), FALSE);
    adw_preferences_group_add (results, GTK_WIDGET (self->test_label));
    /* No empty space above the form while there is nothing to say. */
    g_object_bind_property (self->test_label, "visible", results, "visible", G_BINDING_SYNC_CREATE);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), results);
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), server);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), login);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), folders);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), advanced);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  pas_session_editor_validate (self);
}

PasSessionEditor *
pas_session_editor_new (GtkWindow  *parent,
                        PasSession *session,
                        gboolean    is_new)
{
  PasSessionEditor *self = g_object_new (PAS_TYPE_SESSION_EDITOR,
                                         "transient-for", parent,
                                         "modal", TRUE,
                                         NULL);

  self->session = pas_session_copy (session);
  self->port_unset = pas_session_get_port (session) == 0;
  build (self, is_new);
  if (!is_new && pas_session_get_host (session) != NULL)
    {
      self->loading = g_cancellable_new ();
      resolve_form_full (self, password_lookup_resolved, self->loading);
    }
  return self;
}

PasSession *
pas_session_editor_get_session (PasSessionEditor *self)
{
  return self->session;
}

gboolean
pas_session_editor_is_valid (PasSessionEditor *self)
{
  return self->problem == NULL && !self->key_pending;
}

const char *
pas_session_editor_get_problem (PasSessionEditor *self)
{
  return self->problem;
}

/* The field bound to @property ("host", "user", "key-file"…). */
GtkEditable *
pas_session_editor_get_entry (PasSessionEditor *self,
                              const char       *property)
{
  return g_hash_table_lookup (self->entries, property);
}

GtkSpinButton *
pas_session_editor_get_port (PasSessionEditor *self)
{
  return self->port;
}

AdwComboRow *
pas_session_editor_get_auth (PasSessionEditor *self)
{
  return self->auth;
}

static void
discard_response_cb (PasAlert         *alert,
                     const char       *response,
                     PasSessionEditor *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->may_close = TRUE;
  pas_alert_close_window_later (GTK_WINDOW (self));
}

/* Escape or Cancel with typed changes asks first: a slip of the finger
 * must not throw away a form (seen in a trial). */
static gboolean
pas_session_editor_close_request (GtkWindow *window)
{
  PasSessionEditor *self = PAS_SESSION_EDITOR (window);
  PasAlert *alert;

  if (!self->dirty || self->may_close)
    return GTK_WINDOW_CLASS (pas_session_editor_parent_class)->close_request (window);
  alert = pas_alert_new (GTK_WIDGET (self), _("Discard Changes?"), _("The changes to this session are not saved."));
  pas_alert_add_responses (alert, "keep", _("_Keep Editing"), "discard", _("_Discard"), NULL);
  pas_alert_set_response_appearance (alert, "discard", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_set_default_response (alert, "keep");
  pas_alert_set_close_response (alert, "keep");
  g_signal_connect_object (alert, "response", G_CALLBACK (discard_response_cb), self, 0);
  pas_alert_present (alert);
  return TRUE;
}

static void
pas_session_editor_dispose (GObject *object)
{
  PasSessionEditor *self = PAS_SESSION_EDITOR (object);

  g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_cancellable_cancel (self->key_check);
  g_clear_object (&self->key_check);
  if (self->testing != NULL)
    pas_connection_close (self->testing);
  g_clear_object (&self->testing);
  g_clear_object (&self->installing);

  G_OBJECT_CLASS (pas_session_editor_parent_class)->dispose (object);
}

static void
pas_session_editor_finalize (GObject *object)
{
  PasSessionEditor *self = PAS_SESSION_EDITOR (object);

  g_clear_object (&self->session);
  g_clear_object (&self->interaction);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_free (self->problem);
  g_free (self->test_result);
  g_free (self->key_result);
  g_free (self->key_checked);
  g_free (self->key_checking);
  pas_secret_free (self->loaded_password);
  g_free (self->install_ssh_dir);
  g_clear_pointer (&self->tested, pas_destination_unref);

  G_OBJECT_CLASS (pas_session_editor_parent_class)->finalize (object);
}

static void
pas_session_editor_class_init (PasSessionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pas_session_editor_dispose;
  object_class->finalize = pas_session_editor_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = pas_session_editor_close_request;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PAS_TYPE_SESSION);
  signals[SIGNAL_KEY_DONE] =
    g_signal_new ("key-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_TESTED] =
    g_signal_new ("tested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* As every dialog (AdwPreferencesWindow and the alerts do it themselves):
   * Escape closes, after an entry had its say. */
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pas_session_editor_init (PasSessionEditor *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
