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

/* The template's field_* rows, each bound to the session property of its
 * name (pas_session_editor_get_entry). */
static const struct
{
  const char *property;
  const char *id;
} fields[N_FIELDS] = {
  { "name", "field_name" },
  { "folder", "field_folder" },
  { "host", "field_host" },
  { "user", "field_user" },
  { "jump", "field_jump" },
  { "key-file", "field_key_file" },
  { "remote-folder", "field_remote_folder" },
  { "local-folder", "field_local_folder" },
  { "sftp-server", "field_sftp_server" },
  { "notes", "field_notes" },
};

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
  return gtk_editable_get_text (pas_session_editor_get_entry (self, property));
}

static void
mark (PasSessionEditor *self,
      const char       *property,
      gboolean          bad)
{
  GtkWidget *row = GTK_WIDGET (pas_session_editor_get_entry (self, property));

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
  /* Installing logs in as Test Connection does: not with a form it refuses. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->install_row), gtk_widget_get_sensitive (self->test_button));
}

/* The fields into the session copy. */
void
pas_session_editor_collect (PasSessionEditor *self)
{
  const char *name;
  guint port;

  /* A number typed without Return or Tab is still only text. */
  gtk_spin_button_update (self->port);
  gtk_spin_button_update (self->keepalive);
  gtk_spin_button_update (self->timeout);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fields[i]))));
      g_object_set (self->session, fields[i].property, text[0] != '\0' ? text : NULL, NULL);
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
  if (destination == NULL &&
      (resolving->then == pas_session_editor_install_resolved || resolving->then == test_resolved))
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
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);

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
  guint session_port = pas_session_get_port (self->session) != 0 ? pas_session_get_port (self->session) : 22;
  const char *host = destination != NULL ? pas_destination_get_host (destination)
                                         : pas_session_get_host (self->session);
  guint16 port = destination != NULL ? pas_destination_get_port (destination) : session_port;
  const char *user = destination != NULL ? pas_destination_get_user (destination)
                                         : pas_session_get_user (self->session);

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
  char *found = pas_keyring_lookup_password_finish (result);

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
  if (!self->filling)
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
        gtk_editable_set_text (pas_session_editor_get_entry (self, "key-file"), private != NULL ? private : path);
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

/* ---- filling ----------------------------------------------------------------- */

/* The session's values into the form: not a change the user made. */
static void
fill (PasSessionEditor *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *value = NULL;

      g_object_get (self->session, fields[i].property, &value, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->fields[i]), value != NULL ? value : "");
    }
  gtk_spin_button_set_value (self->port,
                             pas_session_get_port (self->session) != 0 ? pas_session_get_port (self->session) : 22);
  adw_combo_row_set_selected (self->auth, pas_session_get_auth (self->session));
  gtk_spin_button_set_value (self->keepalive, pas_session_get_keepalive (self->session));
  gtk_spin_button_set_value (self->timeout, pas_session_get_connect_timeout (self->session));
  self->filling = FALSE;
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
  gtk_window_set_title (GTK_WINDOW (self), is_new ? _("New Session") : _("Edit Session"));
  fill (self);
  /* Typing starts in the first field, not on Cancel. */
  gtk_widget_grab_focus (GTK_WIDGET (self->fields[0]));
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
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);

  return self->session;
}

gboolean
pas_session_editor_is_valid (PasSessionEditor *self)
{
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), FALSE);

  return self->problem == NULL && !self->key_pending;
}

const char *
pas_session_editor_get_problem (PasSessionEditor *self)
{
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);

  return self->problem;
}

/* The field bound to @property ("host", "user", "key-file"…). */
GtkEditable *
pas_session_editor_get_entry (PasSessionEditor *self,
                              const char       *property)
{
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (fields[i].property, property))
      return GTK_EDITABLE (self->fields[i]);
  return NULL;
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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/passerelle/Passerelle/pas-session-editor.ui");
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, fields[i].id, FALSE,
                                               G_STRUCT_OFFSET (PasSessionEditor, fields) + i * sizeof (gpointer));
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, port);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, keepalive);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, timeout);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, auth);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, password);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, server_group);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, login_group);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, install_row);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, test_label);
  gtk_widget_class_bind_template_child (widget_class, PasSessionEditor, test_button);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, host_edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, pas_session_editor_forget_key_check);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_key_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pas_session_editor_generate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pas_session_editor_install_clicked_cb);
}

static void
pas_session_editor_init (PasSessionEditor *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
}
