/* "Run a Command": what was typed runs in a shell on the server (an exec
 * channel of the tab's connection); stdout and stderr stream into their
 * views as they arrive; the status says the exit status or the signal. Stop
 * closes the channel. The last commands are kept per server in
 * $XDG_STATE_HOME/passerelle/commands.ini (read and written in threads). */
#define G_LOG_DOMAIN "pas-command-dialog"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-command-dialog.h"

#define HISTORY_SIZE 20
/* Per stream, what the view keeps; more is counted, not shown. */
#define MAX_SHOWN (8 * 1024 * 1024)

struct _PasCommandDialog
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkMenuButton *history_button;
  GtkEntry      *entry;
  GtkWidget     *run_button;
  GtkWidget     *stop_button;
  GtkLabel      *status_label;
  GtkTextView   *out_view;
  GtkTextView   *err_view;

  PasConnection *connection;
  char          *server_key;
  GCancellable  *cancellable;   /* of the running command */
  GCancellable  *closing;       /* of history reads, cancelled when the dialog goes */
  GByteArray    *partial[2];    /* a UTF-8 sequence split between two pieces */
  gsize          shown[2];
  gboolean       cut;
  gboolean       running;
  gboolean       done;
  GStrv          history;       /* oldest first */
  int            history_pos;   /* Up/Down: an index into history, or -1 */
};

G_DEFINE_FINAL_TYPE (PasCommandDialog, pas_command_dialog, ADW_TYPE_WINDOW)

/* ---- history ----------------------------------------------------------------- */

static GMutex history_lock;

static char *
history_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "passerelle", "commands.ini", NULL);
}

static void
read_history_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&history_lock);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = history_path ();
  GStrv commands = NULL;

  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    commands = g_key_file_get_string_list (file, task_data, "Commands", NULL, NULL);
  g_task_return_pointer (task, commands != NULL ? commands : g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
}

typedef struct
{
  char *server;
  char *command;
} Remember;

static void
remember_free (Remember *r)
{
  g_free (r->server);
  g_free (r->command);
  g_free (r);
}

/* Read, changed and written under one lock: two dialogs (two servers) never
 * lose each other's lines. */
static void
remember_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Remember *r = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&history_lock);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) old = NULL;
  g_auto(GStrv) commands = NULL;
  g_autoptr(GError) error = NULL;
  guint n, first;
  gsize length;

  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  old = g_key_file_get_string_list (file, r->server, "Commands", NULL, NULL);
  for (guint i = 0; old != NULL && old[i] != NULL; i++)
    if (strcmp (old[i], r->command) != 0)
      g_strv_builder_add (builder, old[i]);
  g_strv_builder_add (builder, r->command);
  commands = g_strv_builder_end (builder);
  n = g_strv_length (commands);
  first = n > HISTORY_SIZE ? n - HISTORY_SIZE : 0;
  g_key_file_set_string_list (file, r->server, "Commands", (const char * const *) commands + first, n - first);
  data = g_key_file_to_data (file, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("the command history could not be saved in %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

static void
update_history_menu (PasCommandDialog *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  guint n = self->history != NULL ? g_strv_length (self->history) : 0;

  /* Newest first. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (NULL, NULL);
      g_autofree char *label = g_strescape (self->history[i - 1], NULL);

      g_menu_item_set_label (item, label);
      g_menu_item_set_action_and_target_value (item, "command.use", g_variant_new_string (self->history[i - 1]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->history_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), n > 0);
}

static void
history_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PasCommandDialog *self = user_data;
  GStrv commands = g_task_propagate_pointer (G_TASK (result), NULL);

  if (commands == NULL)   /* the dialog went */
    return;
  g_strfreev (self->history);
  self->history = commands;
  self->history_pos = -1;
  update_history_menu (self);
}

static void
remember (PasCommandDialog *self,
          const char       *command)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  Remember *r = g_new0 (Remember, 1);

  r->server = g_strdup (self->server_key);
  r->command = g_strdup (command);
  g_task_set_task_data (task, r, (GDestroyNotify) remember_free);
  g_task_run_in_thread (task, remember_thread);

  for (guint i = 0; self->history != NULL && self->history[i] != NULL; i++)
    if (strcmp (self->history[i], command) != 0)
      g_strv_builder_add (builder, self->history[i]);
  g_strv_builder_add (builder, command);
  g_strfreev (self->history);
  self->history = g_strv_builder_end (builder);
  self->history_pos = -1;
  update_history_menu (self);
}

/* Up and Down in the entry, as in a shell. */
static gboolean
entry_key_cb (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              PasCommandDialog      *self)
{
  int n = self->history != NULL ? (int) g_strv_length (self->history) : 0;
  int pos = self->history_pos;

  if ((keyval != GDK_KEY_Up && keyval != GDK_KEY_Down) || n == 0)
    return FALSE;
  /* After a run the entry still holds the last command: Up goes further. */
  if (keyval == GDK_KEY_Up && pos < 0 && n > 1 &&
      strcmp (gtk_editable_get_text (GTK_EDITABLE (self->entry)), self->history[n - 1]) == 0)
    pos = n - 2;
  else if (keyval == GDK_KEY_Up)
    pos = pos < 0 ? n - 1 : MAX (pos - 1, 0);
  else if (pos >= 0)
    pos = pos + 1 < n ? pos + 1 : -1;
  else
    return TRUE;
  self->history_pos = pos;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), pos >= 0 ? self->history[pos] : "");
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  return TRUE;
}

/* ---- output ------------------------------------------------------------------- */

static void
append (PasCommandDialog *self,
        int               stream,
        const char       *data,
        gsize             length)
{
  GtkTextView *view = stream == 1 ? self->out_view : self->err_view;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GByteArray *partial = self->partial[stream - 1];
  const char *end = NULL;
  gsize valid;
  GtkTextIter iter;

  g_byte_array_append (partial, (const guint8 *) data, (guint) length);
  /* Show all but an unfinished UTF-8 sequence at the very end. */
  g_utf8_validate ((const char *) partial->data, (gssize) partial->len, &end);
  valid = (gsize) (end - (const char *) partial->data);
  if (valid < partial->len && (partial->len - valid >= 4 ||
      g_utf8_get_char_validated (end, (gssize) (partial->len - valid)) != (gunichar) -2))
    valid = partial->len;   /* really invalid: shown mended */
  if (valid == 0)
    return;
  if (self->shown[stream - 1] < MAX_SHOWN)
    {
      g_autofree char *text = g_utf8_make_valid ((const char *) partial->data, (gssize) valid);

      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_insert (buffer, &iter, text, -1);
      gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_view_scroll_to_iter (view, &iter, 0.0, FALSE, 0.0, 1.0);
    }
  else
    self->cut = TRUE;
  self->shown[stream - 1] += valid;
  g_byte_array_remove_range (partial, 0, (guint) valid);
}

/* What was left of a character split at the very end. */
static void
flush_partial (PasCommandDialog *self,
               int               stream)
{
  GByteArray *partial = self->partial[stream - 1];
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (stream == 1 ? self->out_view : self->err_view);
  g_autofree char *text = NULL;
  GtkTextIter iter;

  if (partial->len == 0)
    return;
  text = g_utf8_make_valid ((const char *) partial->data, (gssize) partial->len);
  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_buffer_insert (buffer, &iter, text, -1);
  g_byte_array_set_size (partial, 0);
}

static void
output_cb (int      stream,
           GBytes  *bytes,
           gpointer user_data)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  append (user_data, stream, data, length);
}

static void
set_running (PasCommandDialog *self,
             gboolean          running)
{
  self->running = running;
  gtk_widget_set_visible (self->run_button, !running);
  gtk_widget_set_visible (self->stop_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "command.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "command.stop", running);
  if (!running)
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PasCommandDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasCommandResult) ran = pas_connection_run_command_streaming_finish (PAS_CONNECTION (source), result,
                                                                                 &error);
  g_autofree char *status = NULL;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  flush_partial (self, 1);
  flush_partial (self, 2);
  set_running (self, FALSE);
  self->done = TRUE;
  if (ran == NULL)
    {
      gtk_label_set_text (self->status_label, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                              ? _("Stopped") : error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }
  if (ran->exit_signal != NULL)
    /* Translators: %s is a signal name such as TERM or KILL */
    status = g_strdup_printf (_("Ended by signal %s"), ran->exit_signal);
  else
    /* Translators: %d is a command's exit status */
    status = g_strdup_printf (_("Exit status %d"), ran->exit_status);
  if (self->cut)
    {
      /* Translators: appended to "Exit status 0" */
      g_autofree char *more = g_strdup_printf (_("%s (the output was longer than 8 MiB; the rest is not shown)"),
                                               status);
      g_free (status);
      status = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->status_label, status);
  if (ran->exit_status != 0 || ran->exit_signal != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
run_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (widget);
  /* A copy: the entry's text is what we show and keep, not what we send. */
  g_autofree char *command = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  if (self->running || g_strstrip (command)[0] == '\0')
    return;
  self->done = FALSE;
  self->cut = FALSE;
  for (int i = 0; i < 2; i++)
    {
      g_byte_array_set_size (self->partial[i], 0);
      self->shown[i] = 0;
    }
  set_running (self, TRUE);
  gtk_label_set_text (self->status_label, _("Running…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->out_view), "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->err_view), "", -1);
  remember (self, command);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  pas_connection_run_command_streaming_async (self->connection, command, output_cb, g_object_ref (self),
                                              g_object_unref, self->cancellable, ran_cb, g_object_ref (self));
}

static void
stop_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
use_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), g_variant_get_string (parameter, NULL));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
entry_activate_cb (PasCommandDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "command.run", NULL);
}

/* ---- the object --------------------------------------------------------------- */

/* @server_key: the server's key, for its history; @title: how the tab names it. */
PasCommandDialog *
pas_command_dialog_new (GtkWindow     *parent,
                        PasConnection *connection,
                        const char    *server_key,
                        const char    *title)
{
  PasCommandDialog *self = g_object_new (PAS_TYPE_COMMAND_DIALOG, "transient-for", parent, NULL);
  /* Translators: a window title, %s is a server */
  g_autofree char *window_title = g_strdup_printf (_("Run a Command on %s"), title);
  g_autoptr(GTask) task = g_task_new (NULL, self->closing, history_read_cb, self);

  self->connection = g_object_ref (connection);
  self->server_key = g_strdup (server_key);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  g_task_set_task_data (task, g_strdup (server_key), g_free);
  g_task_run_in_thread (task, read_history_thread);
  return self;
}

gboolean
pas_command_dialog_is_done (PasCommandDialog *self)
{
  g_return_val_if_fail (PAS_IS_COMMAND_DIALOG (self), FALSE);

  return self->done;
}

static void
pas_command_dialog_dispose (GObject *object)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->closing);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAS_TYPE_COMMAND_DIALOG);

  G_OBJECT_CLASS (pas_command_dialog_parent_class)->dispose (object);
}

static void
pas_command_dialog_finalize (GObject *object)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (object);

  g_clear_object (&self->closing);
  g_free (self->server_key);
  g_strfreev (self->history);
  g_byte_array_unref (self->partial[0]);
  g_byte_array_unref (self->partial[1]);

  G_OBJECT_CLASS (pas_command_dialog_parent_class)->finalize (object);
}

static void
pas_command_dialog_class_init (PasCommandDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pas_command_dialog_dispose;
  object_class->finalize = pas_command_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-command-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, history_button);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, out_view);
  gtk_widget_class_bind_template_child (widget_class, PasCommandDialog, err_view);

  gtk_widget_class_install_action (widget_class, "command.run", NULL, run_action_cb);
  gtk_widget_class_install_action (widget_class, "command.stop", NULL, stop_action_cb);
  gtk_widget_class_install_action (widget_class, "command.use", "s", use_action_cb);
}

static void
pas_command_dialog_init (PasCommandDialog *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->closing = g_cancellable_new ();
  self->partial[0] = g_byte_array_new ();
  self->partial[1] = g_byte_array_new ();
  self->history_pos = -1;
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "command.stop", FALSE);
}
