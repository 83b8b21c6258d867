#define G_LOG_DOMAIN "pas-command-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-command-dialog.h"

struct _PasCommandDialog
{
  AdwWindow      parent_instance;

  PasConnection *connection;
  GtkEntry      *entry;
  GtkWidget     *run_button;
  GtkTextView   *out_view;
  GtkTextView   *err_view;
  GtkLabel      *status_label;
  GCancellable  *cancellable;
  gboolean       running;
  gboolean       done;
};

G_DEFINE_FINAL_TYPE (PasCommandDialog, pas_command_dialog, ADW_TYPE_WINDOW)

static void
show_text (GtkTextView *view,
           GBytes      *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  /* Whatever the command printed, shown as valid UTF-8. */
  g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", (gssize) length);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PasCommandDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasCommandResult) ran = pas_connection_run_command_finish (PAS_CONNECTION (source), result, &error);
  g_autofree char *status = NULL;

  self->running = FALSE;
  self->done = TRUE;
  gtk_widget_set_sensitive (self->run_button, TRUE);
  if (ran == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      return;
    }
  show_text (self->out_view, ran->out);
  show_text (self->err_view, ran->err);
  /* Translators: %d is a command's exit status */
  status = g_strdup_printf (ran->truncated ? _("Exit status %d (the output was longer than 1 MiB and was cut)")
                                           : _("Exit status %d"), ran->exit_status);
  gtk_label_set_text (self->status_label, status);
  if (ran->exit_status != 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

void
pas_command_dialog_run (PasCommandDialog *self,
                        const char       *command)
{
  g_return_if_fail (PAS_IS_COMMAND_DIALOG (self));

  if (self->running || command == NULL || command[0] == '\0')
    return;
  self->running = TRUE;
  self->done = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), command);
  gtk_widget_set_sensitive (self->run_button, FALSE);
  gtk_label_set_text (self->status_label, _("Running…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->out_view), "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->err_view), "", -1);
  pas_connection_run_command_async (self->connection, command, self->cancellable, ran_cb, g_object_ref (self));
}

static void
run_cb (PasCommandDialog *self)
{
  pas_command_dialog_run (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

gboolean
pas_command_dialog_is_done (PasCommandDialog *self)
{
  return self->done;
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
pas_command_dialog_get_stdout (PasCommandDialog *self)
{
  return text_of (self->out_view);
}

char *
pas_command_dialog_get_stderr (PasCommandDialog *self)
{
  return text_of (self->err_view);
}

const char *
pas_command_dialog_get_status (PasCommandDialog *self)
{
  return gtk_label_get_text (self->status_label);
}

static GtkTextView *
output_view (GtkBox     *box,
             const char *title)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "heading");
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (box, label);
  gtk_box_append (box, scrolled);
  return GTK_TEXT_VIEW (view);
}

PasCommandDialog *
pas_command_dialog_new (GtkWindow     *parent,
                        PasConnection *connection,
                        const char    *server)
{
  PasCommandDialog *self = g_object_new (PAS_TYPE_COMMAND_DIALOG, "transient-for", parent, NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* Translators: a window title, %s is a server */
  g_autofree char *title = g_strdup_printf (_("Run a Command on %s"), server);

  self->connection = g_object_ref (connection);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 520);
  gtk_box_append (GTK_BOX (content), header);

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);
  gtk_entry_set_placeholder_text (self->entry, "df -h");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Command"), -1);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (run_cb), self);
  self->run_button = gtk_button_new_with_mnemonic (_("_Run"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (run_cb), self);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (line), self->run_button);

  self->status_label = GTK_LABEL (gtk_label_new (_("The command runs in a shell on the server, as your user.")));
  gtk_label_set_xalign (self->status_label, 0.0f);
  gtk_label_set_wrap (self->status_label, TRUE);

  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_box_append (GTK_BOX (body), line);
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->status_label));
  self->out_view = output_view (GTK_BOX (body), _("Output"));
  self->err_view = output_view (GTK_BOX (body), _("Errors"));
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);
  return self;
}

static void
pas_command_dialog_dispose (GObject *object)
{
  PasCommandDialog *self = PAS_COMMAND_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pas_command_dialog_parent_class)->dispose (object);
}

static void
pas_command_dialog_class_init (PasCommandDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pas_command_dialog_dispose;
}

static void
pas_command_dialog_init (PasCommandDialog *self)
{
  self->cancellable = g_cancellable_new ();
}
