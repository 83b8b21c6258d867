#define G_LOG_DOMAIN "pas-sync-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-sync-dialog.h"

/* Rows a preview shows; the rest is counted. */
#define PREVIEW_MAX 300

struct _PasSyncDialog
{
  AdwWindow          parent_instance;

  AdwComboRow       *direction_row;
  AdwActionRow      *source_row;
  AdwActionRow      *destination_row;
  GtkSwitch         *delete_switch;
  GtkSwitch         *checksum_switch;
  AdwEntryRow       *excludes_row;
  AdwPreferencesGroup *preview_group;
  GtkSpinner        *spinner;
  GtkListBox        *preview_list;
  GtkImage          *source_icon;
  GtkImage          *destination_icon;
  GSettings         *settings;       /* the options, as last used */
  guint              compare_later;  /* the names left out changed: compare again soon */

  PasSftpSession    *session;
  PasTransferQueue  *queue;
  char              *server_key;
  GFile             *local;
  char              *remote;

  PasSyncOptions     options;        /* excludes owned */
  gboolean           upload;
  GCancellable      *comparing;
  PasSyncComparison *comparison;
  GPtrArray         *plan;
  gboolean           running;
};

G_DEFINE_FINAL_TYPE (PasSyncDialog, pas_sync_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_run (PasSyncDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.run",
                                 !self->running && self->plan != NULL &&
                                 (self->plan->len > 0 || !self->comparison->destination_exists));
}

static void
clear_preview (PasSyncDialog *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->preview_list))) != NULL)
    gtk_list_box_remove (self->preview_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_list), FALSE);
}

static GtkWidget *
action_row (const PasSyncAction *action)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *size = g_format_size (action->size);
  g_autofree char *title = g_strconcat (action->path, action->folder ? "/" : "", NULL);
  const char *subtitle;
  g_autofree char *copy = NULL;

  /* The path as it is (a name may hold markup characters). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (action->kind == PAS_SYNC_DELETE)
    {
      icon = gtk_image_new_from_icon_name ("user-trash-symbolic");
      subtitle = action->reason == PAS_SYNC_REASON_TYPE
                   ? _("Delete: a file and a folder have this name")
                   : action->folder ? _("Delete this folder and what it holds") : _("Delete");
    }
  else if (action->kind == PAS_SYNC_MKDIR)
    {
      icon = gtk_image_new_from_icon_name ("folder-new-symbolic");
      subtitle = _("Make folder");
    }
  else
    {
      static const char *why[] = { N_("new"), N_("different size"), N_("different time"),
                                   N_("different contents"), N_("replaces a folder"), "",
                                   N_("replaces a newer copy") };

      G_STATIC_ASSERT (G_N_ELEMENTS (why) == PAS_SYNC_REASON_REPLACES_NEWER + 1);
      /* An older file over a newer one is what a person may not want. */
      icon = gtk_image_new_from_icon_name (action->reason == PAS_SYNC_REASON_REPLACES_NEWER
                                             ? "dialog-warning-symbolic" : "document-send-symbolic");
      /* Translators: a file the synchronization copies: why, and its size */
      copy = g_strdup_printf (_("Copy: %s, %s"), _(why[action->reason]), size);
      subtitle = copy;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
show_plan (PasSyncDialog *self)
{
  guint files = 0, folders = 0, deletions = 0;
  guint64 bytes = 0;
  g_autofree char *size = NULL;
  g_autofree char *summary = NULL;

  clear_preview (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_list), TRUE);
  for (guint i = 0; i < self->plan->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (self->plan, i);

      files += action->kind == PAS_SYNC_COPY;
      folders += action->kind == PAS_SYNC_MKDIR;
      deletions += action->kind == PAS_SYNC_DELETE;
      bytes += action->kind == PAS_SYNC_COPY ? action->size : 0;
      if (i < PREVIEW_MAX)
        gtk_list_box_append (self->preview_list, action_row (action));
    }
  if (self->plan->len > PREVIEW_MAX)
    {
      GtkWidget *more = adw_action_row_new ();
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more action",
                                                            "And %u more actions", self->plan->len - PREVIEW_MAX),
                                               self->plan->len - PREVIEW_MAX);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), text);
      gtk_list_box_append (self->preview_list, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_list), self->plan->len > 0);

  size = g_format_size (bytes);
  if (self->plan->len == 0 && self->comparison->destination_exists)
    summary = g_strdup (_("Nothing to do: both folders are alike."));
  else
    {
      g_autofree char *copy = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file to copy (%s)",
                                                            "%u files to copy (%s)", files), files, size);
      g_autofree char *make = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u folder to make",
                                                            "%u folders to make", folders), folders);
      g_autofree char *remove = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item to delete",
                                                              "%u items to delete", deletions), deletions);

      /* Translators: the synchronization's summary: files, folders, deletions */
      summary = g_strdup_printf (_("%s, %s, %s."), copy, make, remove);
    }
  {
    /* What is never copied is said, so nobody expects it on the other side. */
    g_autoptr(GString) text = g_string_new (summary);
    GHashTableIter iter;
    gpointer value;
    guint links = 0;

    /* On either side: neither copied nor deleted. */
    for (guint side = 0; side < 2; side++)
      {
        g_hash_table_iter_init (&iter, side == 0 ? self->comparison->source : self->comparison->destination);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          links += ((PasSyncEntry *) value)->type != G_FILE_TYPE_REGULAR &&
                   ((PasSyncEntry *) value)->type != G_FILE_TYPE_DIRECTORY;
      }
    if (links > 0)
      {
        g_string_append_c (text, ' ');
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u link or special file is left as it is.",
                                                   "%u links or special files are left as they are.", links), links);
      }
    if (self->comparison->n_unsafe > 0)
      {
        g_string_append_c (text, ' ');
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "%u name on the server cannot name a file here: left out.",
                                                   "%u names on the server cannot name a file here: left out.",
                                                   self->comparison->n_unsafe), self->comparison->n_unsafe);
      }
    g_free (summary);
    summary = g_string_free (g_steal_pointer (&text), FALSE);
  }
  adw_preferences_group_set_description (self->preview_group, summary);
}

static void
compared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PasSyncDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  PasSyncComparison *comparison = pas_sync_compare_finish (PAS_SFTP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->comparing);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (comparison == NULL)
    {
      clear_preview (self);
      adw_preferences_group_set_description (self->preview_group, error->message);
      g_object_unref (self);
      return;
    }
  self->comparison = comparison;
  self->plan = pas_sync_plan (comparison->source, comparison->destination, &self->options, comparison->differing,
                              NULL);
  show_plan (self);
  update_run (self);
  g_object_unref (self);
}

/* Compares again with the options as they are now. */
static void
compare (PasSyncDialog *self)
{
  /* Commas only: a name may hold spaces. */
  g_auto(GStrv) excludes = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->excludes_row)), ",", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  g_cancellable_cancel (self->comparing);
  g_clear_object (&self->comparing);
  g_clear_pointer (&self->comparison, pas_sync_comparison_free);
  g_clear_pointer (&self->plan, g_ptr_array_unref);
  update_run (self);

  self->upload = adw_combo_row_get_selected (self->direction_row) == 0;
  /* Kept as applied (the entry's text only once applied). */
  g_settings_set_boolean (self->settings, "sync-download", !self->upload);
  g_settings_set_boolean (self->settings, "sync-delete-extras", gtk_switch_get_active (self->delete_switch));
  g_settings_set_boolean (self->settings, "sync-compare-contents", gtk_switch_get_active (self->checksum_switch));
  g_settings_set_string (self->settings, "sync-leave-out", gtk_editable_get_text (GTK_EDITABLE (self->excludes_row)));
  g_clear_handle_id (&self->compare_later, g_source_remove);
  for (guint i = 0; excludes[i] != NULL; i++)
    if (g_strstrip (excludes[i])[0] != '\0')
      g_strv_builder_add (kept, excludes[i]);
  g_strfreev (self->options.excludes);
  self->options.excludes = g_strv_builder_end (kept);
  self->options.delete_extras = gtk_switch_get_active (self->delete_switch);
  self->options.checksum = gtk_switch_get_active (self->checksum_switch);

  {
    g_autofree char *local = g_file_get_path (self->local);
    /* Translators: the folder a synchronization copies from */
    const char *from = _("From");
    /* Translators: the folder a synchronization makes like the other */
    const char *to = _("To");
    g_autofree char *local_title = g_strdup_printf ("%s — %s", self->upload ? from : to, _("This Computer"));
    g_autofree char *remote_title = g_strdup_printf ("%s — %s", self->upload ? to : from, _("Server"));

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->upload ? self->source_row : self->destination_row),
                                   local_title);
    adw_action_row_set_subtitle (self->upload ? self->source_row : self->destination_row, local);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->upload ? self->destination_row : self->source_row),
                                   remote_title);
    adw_action_row_set_subtitle (self->upload ? self->destination_row : self->source_row, self->remote);
    /* Which side each row is, not which way: the title says that. */
    gtk_image_set_from_icon_name (self->source_icon, self->upload ? "computer-symbolic" : "network-server-symbolic");
    gtk_image_set_from_icon_name (self->destination_icon,
                                  self->upload ? "network-server-symbolic" : "computer-symbolic");
  }

  /* The last preview stays, dimmed, until the new one replaces it: the
   * page keeps its place instead of jumping to the top. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_list), FALSE);
  adw_preferences_group_set_description (self->preview_group, _("Comparing the two folders…"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  self->comparing = g_cancellable_new ();
  pas_sync_compare_async (self->session, self->local, self->remote, self->upload, &self->options, self->comparing,
                          compared_cb, g_object_ref (self));
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PasSyncDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failures = pas_sync_apply_finish (PAS_SFTP_SESSION (source), result, &error);
  g_autoptr(PasTransfer) transfer = NULL;
  guint queued = 0;

  if (failures == NULL)
    {
      failures = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (failures, g_strdup (error->message));
    }
  else
    {
      /* One queue item for all the copies: they overlap their round trips
       * inside it, where items of the queue run two at a time. */
      transfer = pas_sync_plan_new_transfer (self->plan, self->upload, self->local, self->remote);
      for (guint i = 0; i < self->plan->len; i++)
        queued += ((PasSyncAction *) g_ptr_array_index (self->plan, i))->kind == PAS_SYNC_COPY;
      if (transfer != NULL)
        pas_transfer_queue_add (self->queue, transfer, self->server_key);
    }
  g_ptr_array_add (failures, NULL);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0, queued, (const char * const *) failures->pdata, transfer);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
run (PasSyncDialog *self)
{
  self->running = TRUE;
  update_run (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->direction_row), FALSE);
  pas_sync_apply_async (self->session, self->local, self->remote, self->upload,
                        !self->comparison->destination_exists, self->plan, NULL, applied_cb, g_object_ref (self));
}

static void
delete_response_cb (PasAlert      *alert,
                    const char    *response,
                    PasSyncDialog *self)
{
  if (g_str_equal (response, "delete") && self->plan != NULL && !self->running)
    run (self);
}

static void
run_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PasSyncDialog *self = PAS_SYNC_DIALOG (widget);
  guint deletions = 0, older = 0;

  if (self->plan == NULL || self->running)
    return;
  /* Names typed a moment ago are left out before anything runs. */
  if (self->compare_later != 0)
    {
      compare (self);
      return;
    }
  for (guint i = 0; i < self->plan->len; i++)
    {
      PasSyncAction *action = g_ptr_array_index (self->plan, i);

      deletions += action->kind == PAS_SYNC_DELETE;
      older += action->reason == PAS_SYNC_REASON_REPLACES_NEWER;
    }
  if (deletions > 0 || older > 0)
    {
      /* What cannot be undone is asked first; Cancel is the default. */
      g_autofree char *heading = NULL;
      g_autofree char *body = NULL;
      PasAlert *alert;

      if (older == 0)
        {
          heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u Item?", "Delete %u Items?", deletions),
                                     deletions);
          body = g_strdup (self->upload
                           ? g_dngettext (GETTEXT_PACKAGE,
                                          "It is deleted from the server for good, then the files are copied.",
                                          "They are deleted from the server for good, then the files are copied.", deletions)
                           : g_dngettext (GETTEXT_PACKAGE,
                                          "It is deleted from this computer for good, then the files are copied.",
                                          "They are deleted from this computer for good, then the files are copied.", deletions));
        }
      else
        {
          heading = deletions == 0
                      ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace %u Newer File?",
                                                      "Replace %u Newer Files?",
                                                      older), older)
                      : g_strdup (_("Delete and Replace Newer Files?"));
          /* Translators: %u files where the synchronization puts an older copy over a newer one */
          body = g_strdup_printf (self->upload
                                  ? g_dngettext (GETTEXT_PACKAGE,
                                                 "%u file on the server is newer than the one that replaces it: its changes are lost.",
                                                 "%u files on the server are newer than the ones that replace them: their changes are lost.", older)
                                  : g_dngettext (GETTEXT_PACKAGE,
                                                 "%u file on this computer is newer than the one that replaces it: its changes are lost.",
                                                 "%u files on this computer are newer than the ones that replace them: their changes are lost.", older),
                                  older);
          if (deletions > 0)
            {
              g_autofree char *both = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u item is deleted for good.",
                                                                    "%s %u items are deleted for good.", deletions),
                                                       body, deletions);
              g_free (body);
              body = g_steal_pointer (&both);
            }
        }
      alert = pas_alert_new (GTK_WIDGET (self), heading, body);
      pas_alert_add_responses (alert, "cancel", _("_Cancel"), "delete",
                               older > 0 ? _("_Replace and Synchronize") : _("_Delete and Synchronize"), NULL);
      pas_alert_set_response_appearance (alert, "delete", ADW_RESPONSE_DESTRUCTIVE);
      pas_alert_set_default_response (alert, "cancel");
      pas_alert_set_close_response (alert, "cancel");
      g_signal_connect_object (alert, "response", G_CALLBACK (delete_response_cb), self, 0);
      pas_alert_present (alert);
      return;
    }
  run (self);
}

static void
option_changed_cb (PasSyncDialog *self)
{
  if (!self->running)
    compare (self);
}

static gboolean
compare_later_cb (gpointer data)
{
  PasSyncDialog *self = data;

  self->compare_later = 0;
  option_changed_cb (self);
  return G_SOURCE_REMOVE;
}

/* Typing pauses, then the preview follows what is written (nothing to
 * apply: a name typed and left was ignored). */
static void
excludes_changed_cb (PasSyncDialog *self)
{
  g_clear_handle_id (&self->compare_later, g_source_remove);
  self->compare_later = g_timeout_add (500, compare_later_cb, self);
}

GPtrArray *
pas_sync_dialog_get_plan (PasSyncDialog *self)
{
  g_return_val_if_fail (PAS_IS_SYNC_DIALOG (self), NULL);

  return self->plan;
}

static void
pas_sync_dialog_dispose (GObject *object)
{
  PasSyncDialog *self = PAS_SYNC_DIALOG (object);

  g_cancellable_cancel (self->comparing);
  g_clear_object (&self->comparing);
  g_clear_handle_id (&self->compare_later, g_source_remove);

  G_OBJECT_CLASS (pas_sync_dialog_parent_class)->dispose (object);
}

static void
pas_sync_dialog_finalize (GObject *object)
{
  PasSyncDialog *self = PAS_SYNC_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->queue);
  g_clear_object (&self->settings);
  g_free (self->server_key);
  g_clear_object (&self->local);
  g_free (self->remote);
  g_strfreev (self->options.excludes);
  g_clear_pointer (&self->comparison, pas_sync_comparison_free);
  g_clear_pointer (&self->plan, g_ptr_array_unref);

  G_OBJECT_CLASS (pas_sync_dialog_parent_class)->finalize (object);
}

static void
pas_sync_dialog_class_init (PasSyncDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pas_sync_dialog_dispose;
  object_class->finalize = pas_sync_dialog_finalize;

  /* How many copies were queued, what failed (messages naming paths), and
   * the queue's item that copies them (NULL: nothing to copy). */
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRV, PAS_TYPE_TRANSFER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/passerelle/Passerelle/pas-sync-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, direction_row);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, delete_switch);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, checksum_switch);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, excludes_row);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, source_icon);
  gtk_widget_class_bind_template_child (widget_class, PasSyncDialog, destination_icon);
  gtk_widget_class_install_action (widget_class, "sync.run", NULL, run_action_cb);
}

static void
pas_sync_dialog_init (PasSyncDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PasSyncDialog *
pas_sync_dialog_new (GtkWindow        *parent,
                     PasSftpSession   *session,
                     PasTransferQueue *queue,
                     const char       *server_key,
                     const char       *local_folder,
                     const char       *remote_folder)
{
  PasSyncDialog *self;

  g_return_val_if_fail (PAS_IS_SFTP_SESSION (session), NULL);
  g_return_val_if_fail (PAS_IS_TRANSFER_QUEUE (queue), NULL);
  g_return_val_if_fail (local_folder != NULL && remote_folder != NULL, NULL);

  self = g_object_new (PAS_TYPE_SYNC_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->queue = g_object_ref (queue);
  self->server_key = g_strdup (server_key);
  self->local = g_file_new_for_path (local_folder);
  self->remote = g_strdup (remote_folder);
  /* The options of the last synchronization, before they are watched. */
  self->settings = g_settings_new (APP_ID);
  adw_combo_row_set_selected (self->direction_row, g_settings_get_boolean (self->settings, "sync-download") ? 1 : 0);
  gtk_switch_set_active (self->delete_switch, g_settings_get_boolean (self->settings, "sync-delete-extras"));
  gtk_switch_set_active (self->checksum_switch, g_settings_get_boolean (self->settings, "sync-compare-contents"));
  {
    g_autofree char *leave_out = g_settings_get_string (self->settings, "sync-leave-out");

    gtk_editable_set_text (GTK_EDITABLE (self->excludes_row), leave_out);
  }
  g_signal_connect_swapped (self->direction_row, "notify::selected", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->delete_switch, "notify::active", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->checksum_switch, "notify::active", G_CALLBACK (option_changed_cb), self);
  g_signal_connect_swapped (self->excludes_row, "changed", G_CALLBACK (excludes_changed_cb), self);
  g_signal_connect_swapped (self->excludes_row, "entry-activated", G_CALLBACK (option_changed_cb), self);
  compare (self);
  return self;
}
