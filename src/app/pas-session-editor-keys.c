#define G_LOG_DOMAIN "pas-session-editor"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-application.h"
#include "pas-session-editor-private.h"

/* The session editor's key tools: Generate a Key (ed25519, with or without
 * a passphrase, under a free name in ~/.ssh, in a thread) and Install the
 * Key on the server (logs in with the form, appends the public key to
 * authorized_keys once). */

/* ---- key tools ---------------------------------------------------------------- */

void
pas_session_editor_set_key_result (PasSessionEditor *self,
                                   const char       *text,
                                   gboolean          good)
{
  g_free (self->key_result);
  self->key_result = g_strdup (text);
  /* Under the key rows, where it was asked for. */
  adw_action_row_set_subtitle (self->install_row, text);
  if (good)
    gtk_widget_remove_css_class (GTK_WIDGET (self->install_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->install_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), FALSE);
  pas_session_editor_emit_key_done (self);
}

const char *
pas_session_editor_get_key_result (PasSessionEditor *self)
{
  g_return_val_if_fail (PAS_IS_SESSION_EDITOR (self), NULL);

  return self->key_result;
}

typedef struct
{
  char *path;
  char *passphrase;
  char *comment;
} KeyJob;

static void
key_job_free (KeyJob *job)
{
  g_free (job->path);
  pas_secret_free (job->passphrase);
  g_free (job->comment);
  g_free (job);
}

/* bcrypt_pbkdf takes a moment: never on the UI thread. */
static void
generate_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  KeyJob *job = task_data;
  GError *error = NULL;
  g_autofree char *parent = g_path_get_dirname (job->path);
  char *line;

  g_mkdir_with_parents (parent, 0700);
  line = pas_key_generate_ed25519 (job->path, job->passphrase, job->comment, &error);
  if (line == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, line, g_free);
}

static void
generated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PasSessionEditor *self = PAS_SESSION_EDITOR (source);
  KeyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_task_propagate_pointer (G_TASK (result), &error);

  if (line == NULL)
    {
      pas_session_editor_set_key_result (self, error->message, FALSE);
      return;
    }
  /* The same path may have been checked (and missing) before. */
  pas_session_editor_forget_key_check (self);
  gtk_editable_set_text (pas_session_editor_get_entry (self, "key-file"), job->path);
  adw_combo_row_set_selected (self->auth, PAS_AUTH_KEY);
  {
    /* Translators: %s is the path of a new private key */
    g_autofree char *text = g_strdup_printf (_("New key saved as %s. Install its public half on the server "
                                               "to log in with it."), job->path);
    pas_session_editor_set_key_result (self, text, TRUE);
  }
}

/* Writes a new ed25519 key pair to @path (never over an existing file). */
void
pas_session_editor_generate_key (PasSessionEditor *self,
                                 const char       *path,
                                 const char       *passphrase)
{
  g_autoptr(GTask) task = NULL;
  KeyJob *job = g_new0 (KeyJob, 1);

  g_return_if_fail (PAS_IS_SESSION_EDITOR (self));

  task = g_task_new (self, NULL, generated_cb, NULL);

  g_clear_pointer (&self->key_result, g_free);
  job->path = g_strdup (path);
  job->passphrase = passphrase != NULL && passphrase[0] != '\0' ? pas_secret_dup (passphrase) : NULL;
  job->comment = g_strdup_printf ("%s@%s (Passerelle)", g_get_user_name (), g_get_host_name ());
  g_task_set_task_data (task, job, (GDestroyNotify) key_job_free);
  g_task_run_in_thread (task, generate_thread);
}

static char *
free_key_path (void)
{
  g_autofree char *base = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519_passerelle", NULL);
  char *path = g_strdup (base);

  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS) && i < 100; i++)
    {
      g_free (path);
      path = g_strdup_printf ("%s_%u", base, i);
    }
  return path;
}

static void
generate_response_cb (PasAlert         *dialog,
                      const char       *response,
                      PasSessionEditor *self)
{
  GtkEditable *path = g_object_get_data (G_OBJECT (dialog), "pas-path");
  GtkEditable *passphrase = g_object_get_data (G_OBJECT (dialog), "pas-passphrase");
  GtkEditable *again = g_object_get_data (G_OBJECT (dialog), "pas-again");

  pas_alert_drop_focus (dialog);
  if (g_strcmp0 (response, "generate") == 0)
    pas_session_editor_generate_key (self, gtk_editable_get_text (path), gtk_editable_get_text (passphrase));
  gtk_editable_set_text (passphrase, "");
  gtk_editable_set_text (again, "");
}

/* A passphrase mistyped once would lock the key for good: typed twice. */
static void
passphrase_changed_cb (PasAlert *dialog)
{
  const char *passphrase = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "pas-passphrase"));
  const char *again = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "pas-again"));
  GtkWidget *differ = g_object_get_data (G_OBJECT (dialog), "pas-differ");
  gboolean same = strcmp (passphrase, again) == 0;

  /* Said once the second one is as long as the first, not at each key. */
  gtk_widget_set_visible (differ, !same && strlen (again) >= strlen (passphrase));
  pas_alert_set_response_enabled (dialog, "generate", same);
}

static void
present_generator (PasSessionEditor *self,
                   const char       *suggested)
{
  PasAlert *dialog = pas_alert_new (
    GTK_WIDGET (self), _("Generate a New Key"),
    _("An ed25519 key pair, in OpenSSH's format. A passphrase protects the private half; "
      "it can stay empty."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *path = gtk_entry_new ();
  GtkWidget *passphrase = gtk_password_entry_new ();
  GtkWidget *again = gtk_password_entry_new ();
  GtkWidget *differ = gtk_label_new (_("The two passphrases differ."));

  gtk_editable_set_text (GTK_EDITABLE (path), suggested);
  gtk_accessible_update_property (GTK_ACCESSIBLE (path), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Key file"), -1);
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (passphrase), TRUE);
  g_object_set (passphrase, "placeholder-text", _("Passphrase (optional)"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (passphrase), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passphrase"), -1);
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (again), TRUE);
  g_object_set (again, "placeholder-text", _("The passphrase again"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (again), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The passphrase again"), -1);
  gtk_widget_add_css_class (differ, "error");
  gtk_label_set_xalign (GTK_LABEL (differ), 0.0f);
  gtk_widget_set_visible (differ, FALSE);
  /* Return in any field generates, as the highlighted button says. */
  gtk_entry_set_activates_default (GTK_ENTRY (path), TRUE);
  g_object_set (passphrase, "activates-default", TRUE, NULL);
  g_object_set (again, "activates-default", TRUE, NULL);
  gtk_box_append (GTK_BOX (box), path);
  gtk_box_append (GTK_BOX (box), passphrase);
  gtk_box_append (GTK_BOX (box), again);
  gtk_box_append (GTK_BOX (box), differ);
  g_object_set_data (G_OBJECT (dialog), "pas-path", path);
  g_object_set_data (G_OBJECT (dialog), "pas-passphrase", passphrase);
  g_object_set_data (G_OBJECT (dialog), "pas-again", again);
  g_object_set_data (G_OBJECT (dialog), "pas-differ", differ);
  g_signal_connect_swapped (passphrase, "changed", G_CALLBACK (passphrase_changed_cb), dialog);
  g_signal_connect_swapped (again, "changed", G_CALLBACK (passphrase_changed_cb), dialog);
  pas_alert_set_extra_child (dialog, box);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "generate", _("_Generate"), NULL);
  pas_alert_set_response_appearance (dialog, "generate", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "generate");
  pas_alert_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (generate_response_cb), self, 0);
  pas_alert_present (dialog);
}

static void
free_key_path_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_task_return_pointer (task, free_key_path (), g_free);
}

static void
free_key_path_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree char *suggested = g_task_propagate_pointer (G_TASK (result), NULL);

  present_generator (PAS_SESSION_EDITOR (source), suggested);
}

/* The suggested file name looks at ~/.ssh (up to 100 names): in a thread. */
void
pas_session_editor_generate_clicked_cb (PasSessionEditor *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, free_key_path_cb, NULL);

  g_task_run_in_thread (task, free_key_path_thread);
}

static void
installed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  if (!pas_sftp_session_install_public_key_finish (PAS_SFTP_SESSION (source), result, &added, &error))
    pas_session_editor_set_key_result (self, error->message, FALSE);
  else
    {
      /* Offered by switching the form: Save makes it stick. */
      adw_combo_row_set_selected (self->auth, PAS_AUTH_KEY);
      pas_session_editor_set_key_result (self, added ? _("Public key added to the server’s authorized_keys. "
                                      "The session now logs in with the key; save to keep it.")
                                  : _("The server already had this public key. The session now logs in "
                                      "with the key; save to keep it."), TRUE);
    }
  g_clear_object (&self->installing);
  if (self->testing != NULL)
    pas_connection_close (self->testing);
  g_clear_object (&self->testing);
  pas_session_editor_validate (self);
}

static void
install_sftp_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *line = g_object_get_data (G_OBJECT (self), "pas-public-line");

  self->installing = pas_sftp_session_open_finish (result, &error);
  if (self->installing == NULL)
    {
      pas_session_editor_set_key_result (self, error->message, FALSE);
      g_clear_object (&self->testing);
      pas_session_editor_validate (self);
      return;
    }
  pas_sftp_session_install_public_key_async (self->installing, line, self->install_ssh_dir, NULL,
                                             installed_cb, g_object_ref (self));
}

static void
install_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pas_connection_connect_finish (PAS_CONNECTION (source), result, &error))
    {
      g_autofree char *text = pas_error_describe (error, " ");
      pas_session_editor_set_key_result (self, text, FALSE);
      g_clear_object (&self->testing);
      pas_session_editor_validate (self);
      return;
    }
  pas_gtk_interaction_commit_secrets (self->interaction);
  pas_sftp_session_open_async (PAS_CONNECTION (source), pas_session_get_sftp_server (self->session), NULL,
                               install_sftp_cb, g_object_ref (self));
}

void
pas_session_editor_install_resolved (PasSessionEditor *self,
                                     PasDestination   *destination)
{
  self->testing = pas_session_editor_new_connection (self, destination);
  /* Not the new key: it is not on the server yet. Any other way in (the
   * form may already say "Key file": a password does it then). */
  pas_connection_set_identity_files (self->testing, (const char *[]) { NULL }, TRUE);
  pas_connection_set_auth_methods (self->testing, PAS_AUTH_METHOD_ALL);
  pas_session_editor_validate (self);
  pas_connection_connect_async (self->testing, NULL, install_connected_cb, g_object_ref (self));
}

static void
public_key_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PasSessionEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), result, &line, NULL, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->resolving);
      pas_session_editor_set_key_result (self, error->message, FALSE);
      pas_session_editor_validate (self);
      return;
    }
  g_clear_object (&self->resolving);
  g_strstrip (line);
  g_object_set_data_full (G_OBJECT (self), "pas-public-line", g_steal_pointer (&line), g_free);
  pas_session_editor_resolve_form (self, pas_session_editor_install_resolved);
}

/* Logs in the way the form says but without the new key (it is not on the
 * server yet: a password or another key does it), then appends the
 * public half to ~/.ssh/authorized_keys over SFTP. */
void
pas_session_editor_install_key (PasSessionEditor *self)
{
  g_autofree char *pub_path = NULL;
  g_autoptr(GFile) pub = NULL;

  g_return_if_fail (PAS_IS_SESSION_EDITOR (self));

  if (self->problem != NULL || self->testing != NULL || self->resolving != NULL)
    return;
  g_clear_pointer (&self->key_result, g_free);
  pas_session_editor_collect (self);
  {
    g_autofree char *private = pas_resolver_expand_key_path (pas_session_get_key_file (self->session), NULL);
    pub_path = g_strconcat (private != NULL ? private : "", ".pub", NULL);
  }
  /* A .pub of a few hundred bytes, but on any disk: read off the UI thread. */
  pub = g_file_new_for_path (pub_path);
  self->resolving = g_cancellable_new ();
  pas_session_editor_validate (self);
  g_file_load_contents_async (pub, self->resolving, public_key_loaded_cb, g_object_ref (self));
}

void
pas_session_editor_set_install_dir (PasSessionEditor *self,
                                    const char       *ssh_dir)
{
  g_return_if_fail (PAS_IS_SESSION_EDITOR (self));

  g_free (self->install_ssh_dir);
  self->install_ssh_dir = g_strdup (ssh_dir);
}

void
pas_session_editor_install_clicked_cb (PasSessionEditor *self)
{
  pas_session_editor_install_key (self);
}

