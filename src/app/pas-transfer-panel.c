#define G_LOG_DOMAIN "pas-transfer-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-transfer-panel.h"

#include "pas-cell-text.h"
#include "pas-progress-line.h"

struct _PasTransferPanel
{
  GtkWidget         parent_instance;

  PasTransferQueue *queue;
  gint64            batch_started;   /* µs: when the queue last went from idle to busy */
  gboolean          busy;
  gint64            notify_after;    /* µs */
  int               shown_running;   /* the running item last scrolled to, or -1 */
  guint             shown_n_items;
  guint             scroll_source;

  /* Template widgets */
  PasCellText      *summary_label;
  GtkListView      *list_view;
  GtkStack         *stack;
};

G_DEFINE_FINAL_TYPE (PasTransferPanel, pas_transfer_panel, GTK_TYPE_WIDGET)

/* A batch that took longer than this gets a notification when it ends
 * while the window is in the background. */
#define NOTIFY_AFTER_USEC (5 * G_USEC_PER_SEC)

/* ---- rows ------------------------------------------------------------------- */

typedef struct
{
  GtkWidget   *icon;
  GtkWidget   *name;
  GtkWidget   *detail;
  GtkWidget   *progress;
  GtkWidget   *pause;
  GtkWidget   *resume;
  GtkWidget   *cancel;
  GtkWidget   *connect;   /* for an item waiting for its server */
  GtkWidget   *retry;
  PasTransfer *transfer;
  PasTransferQueue *queue;
} Row;

static char *
format_eta (gint64 seconds)
{
  if (seconds < 60)
    /* Translators: time left, in seconds */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left", "%u seconds left", (gulong) seconds),
                            (guint) seconds);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute left", "%u minutes left",
                                         (gulong) (seconds / 60)), (guint) (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour left", "%u hours left",
                                       (gulong) (seconds / 3600)), (guint) (seconds / 3600));
}

static char *
transfer_name (PasTransfer *transfer)
{
  g_autofree char *local = g_file_get_basename (pas_transfer_get_local (transfer));
  g_autofree char *remote = g_path_get_basename (pas_transfer_get_remote_path (transfer));

  return g_strdup (pas_transfer_get_direction (transfer) == PAS_TRANSFER_UPLOAD ? local : remote);
}

/* "notes.txt → /srv/www/notes.txt", or where "Keep Both" put it. */
static void
update_row_name (Row *row)
{
  PasTransfer *transfer = row->transfer;
  gboolean upload = pas_transfer_get_direction (transfer) == PAS_TRANSFER_UPLOAD;
  g_autofree char *name = transfer_name (transfer);
  g_autofree char *destination = pas_transfer_dup_destination (transfer);
  g_autofree char *text = NULL;

  if (destination == NULL)
    destination = upload ? g_strdup (pas_transfer_get_remote_path (transfer))
                         : g_file_get_path (pas_transfer_get_local (transfer));
  /* Translators: a transfer: a name, then where it goes, e.g. "notes.txt → /srv/www" */
  text = g_strdup_printf (_("%s → %s"), name, destination);
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (row->name)), text) == 0)
    return;
  gtk_label_set_text (GTK_LABEL (row->name), text);
}

/* A row's name or progress, in full, when it is cut short. Asked for on
 * hover: setting a tooltip at every progress tick made GTK look for the
 * pointer each time (with X11, round trips to the server on the UI thread). */
static gboolean
label_query_tooltip_cb (GtkWidget  *label,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip,
                        gpointer    user_data)
{
  if (PAS_IS_CELL_TEXT (label))
    {
      if (!pas_cell_text_is_ellipsized (PAS_CELL_TEXT (label)))
        return FALSE;
      gtk_tooltip_set_text (tooltip, pas_cell_text_get_text (PAS_CELL_TEXT (label)));
      return TRUE;
    }
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (label)));
  return TRUE;
}

static void
update_row (Row *row)
{
  PasTransfer *t = row->transfer;
  PasTransferState state = pas_transfer_get_state (t);
  guint64 done = pas_transfer_get_bytes_done (t);
  guint64 total = pas_transfer_get_bytes_total (t);
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *detail = NULL;
  double rate = pas_transfer_get_rate (t);
  const char *server = NULL;
  gboolean unconnected = FALSE;

  update_row_name (row);
  pas_progress_line_set_fraction (PAS_PROGRESS_LINE (row->progress),
                                 total > 0 ? MIN (1.0, (double) done / (double) total)
                                           : state == PAS_TRANSFER_DONE ? 1.0 : 0.0);
  switch (state)
    {
    case PAS_TRANSFER_QUEUED:
      /* Looked up here only: a search of the queue, and progress updates
       * of running rows come ten times a second. */
      server = pas_transfer_queue_get_server (row->queue, t);
      if (server != NULL && pas_transfer_queue_count_sessions (row->queue, server) == 0)
        {
          /* Translators: a queued transfer; %s is a server */
          detail = g_strdup_printf (_("Waiting for the connection to %s"), server);
          unconnected = TRUE;
        }
      else
        detail = g_strdup (_("Waiting for its turn"));
      break;
    case PAS_TRANSFER_RUNNING:
      if (pas_transfer_is_asking (t))
        /* Translators: "1.2 MB of 5.0 MB — waiting for your answer" (a conflict question) */
        detail = g_strdup_printf (_("%s of %s — waiting for your answer"), done_text, total_text);
      else if (!pas_transfer_is_size_known (t))
        {
          /* A folder still being walked: its total is not the whole yet. */
          g_autofree char *rate_text = g_format_size ((guint64) rate);

          if (rate > 0)
            /* Translators: progress of a folder whose size is not known yet: "1.2 MB so far — 3.4 MB/s" */
            detail = g_strdup_printf (_("%s so far — %s/s"), done_text, rate_text);
          else
            /* Translators: progress of a folder whose size is not known yet: "1.2 MB so far" */
            detail = g_strdup_printf (_("%s so far"), done_text);
        }
      else if (rate > 0 && total > done)
        {
          g_autofree char *rate_text = g_format_size ((guint64) rate);
          g_autofree char *eta = format_eta ((gint64) ((double) (total - done) / rate));
          /* Translators: progress of a transfer: "1.2 MB of 5.0 MB — 3.4 MB/s, 2 seconds left" */
          detail = g_strdup_printf (_("%s of %s — %s/s, %s"), done_text, total_text, rate_text, eta);
        }
      else
        /* Translators: progress of a transfer: "1.2 MB of 5.0 MB" */
        detail = g_strdup_printf (_("%s of %s"), done_text, total_text);
      break;
    case PAS_TRANSFER_PAUSED:
      if (total == 0)
        /* Restored from an earlier run: its size is known once it runs. */
        detail = g_strdup (_("Paused"));
      else
        /* Translators: "1.2 MB of 5.0 MB — paused" */
        detail = g_strdup_printf (_("%s of %s — paused"), done_text, total_text);
      break;
    case PAS_TRANSFER_DONE:
      if (pas_transfer_get_files_total (t) == 1 && pas_transfer_get_files_skipped (t) == 1)
        /* The conflict's answer was Skip: nothing was copied. */
        detail = g_strdup (_("Skipped — the file already there was kept"));
      else if (pas_transfer_get_files_skipped (t) > 0)
        {
          g_autofree char *copied = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done — %u file, %s",
                                                                  "Done — %u files, %s", pas_transfer_get_files_done (t)),
                                                     pas_transfer_get_files_done (t), done_text);

          /* Translators: "Done — 3 files, 1.2 MB" and how many were skipped (kept as they were) */
          detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u skipped", "%s; %u skipped",
                                                 pas_transfer_get_files_skipped (t)),
                                    copied, pas_transfer_get_files_skipped (t));
        }
      else if (pas_transfer_get_files_total (t) > 1)
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done — %u file, %s", "Done — %u files, %s",
                                               pas_transfer_get_files_done (t)),
                                  pas_transfer_get_files_done (t), done_text);
      else
        /* Translators: %s is a size */
        detail = g_strdup_printf (_("Done — %s"), done_text);
      break;
    case PAS_TRANSFER_FAILED:
      detail = g_strdup (pas_transfer_get_error (t) != NULL ? pas_transfer_get_error (t)->message : _("Failed"));
      break;
    case PAS_TRANSFER_CANCELLED:
    default:
      detail = g_strdup (_("Cancelled"));
      break;
    }
  pas_cell_text_set_text (PAS_CELL_TEXT (row->detail), detail);
  if (state == PAS_TRANSFER_FAILED)
    gtk_widget_add_css_class (row->detail, "error");
  else
    gtk_widget_remove_css_class (row->detail, "error");

  gtk_widget_set_visible (row->pause, state == PAS_TRANSFER_RUNNING || state == PAS_TRANSFER_QUEUED);
  gtk_widget_set_visible (row->resume, state == PAS_TRANSFER_PAUSED);
  gtk_widget_set_visible (row->cancel, state == PAS_TRANSFER_RUNNING || state == PAS_TRANSFER_QUEUED ||
                                       state == PAS_TRANSFER_PAUSED);
  gtk_widget_set_visible (row->retry, state == PAS_TRANSFER_FAILED || state == PAS_TRANSFER_CANCELLED);
  /* A restored item waits with no tab on its server: one click opens it. */
  gtk_widget_set_visible (row->connect, unconnected);
  if (unconnected)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (row->connect), "s", server);
  /* Target first: an action with "s" and no target is a GTK warning. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->connect), unconnected ? "win.connect-to" : NULL);
}

static void
row_changed_cb (PasTransfer *transfer,
                GParamSpec  *pspec,
                Row         *row)
{
  update_row (row);
}

static void
row_button_clicked_cb (GtkButton *button,
                       Row       *row)
{
  void (*operation) (PasTransferQueue *, PasTransfer *) = g_object_get_data (G_OBJECT (button), "pas-operation");

  if (row->transfer != NULL)
    operation (row->queue, row->transfer);
}

/* Buttons act on the row's transfer itself, not on a position: positions
 * move when finished items are cleared. */
static GtkWidget *
row_button (Row        *row,
            const char *icon,
            const char *label,
            void      (*operation) (PasTransferQueue *, PasTransfer *))
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "pas-operation", operation);
  g_signal_connect (button, "clicked", G_CALLBACK (row_button_clicked_cb), row);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  return button;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PasTransferPanel         *self)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *middle = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  row->icon = gtk_image_new ();
  row->name = gtk_label_new (NULL);
  row->detail = pas_cell_text_new (0.0f, FALSE);
  row->progress = pas_progress_line_new ();
  gtk_label_set_xalign (GTK_LABEL (row->name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (row->name), PANGO_ELLIPSIZE_MIDDLE);
  pas_cell_text_set_live (PAS_CELL_TEXT (row->detail), TRUE);
  gtk_widget_add_css_class (row->detail, "caption");
  gtk_widget_add_css_class (row->detail, "dim-label");
  gtk_widget_set_has_tooltip (row->name, TRUE);
  gtk_widget_set_has_tooltip (row->detail, TRUE);
  g_signal_connect (row->name, "query-tooltip", G_CALLBACK (label_query_tooltip_cb), NULL);
  g_signal_connect (row->detail, "query-tooltip", G_CALLBACK (label_query_tooltip_cb), NULL);
  gtk_widget_set_hexpand (middle, TRUE);
  gtk_box_append (GTK_BOX (middle), row->name);
  gtk_box_append (GTK_BOX (middle), row->progress);
  gtk_box_append (GTK_BOX (middle), row->detail);

  row->queue = self->queue;
  row->pause = row_button (row, "media-playback-pause-symbolic", _("Pause"), pas_transfer_queue_pause);
  row->resume = row_button (row, "media-playback-start-symbolic", _("Resume"), pas_transfer_queue_resume);
  row->cancel = row_button (row, "process-stop-symbolic", _("Cancel"), pas_transfer_queue_cancel);
  row->retry = row_button (row, "view-refresh-symbolic", _("Retry"), pas_transfer_queue_retry);
  row->connect = gtk_button_new_from_icon_name ("network-server-symbolic");
  gtk_widget_set_tooltip_text (row->connect, _("Connect to Its Server"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->connect), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connect to Its Server"), -1);
  gtk_widget_set_valign (row->connect, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->connect, "flat");
  gtk_widget_add_css_class (row->connect, "circular");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), row->icon);
  gtk_box_append (GTK_BOX (box), middle);
  gtk_box_append (GTK_BOX (box), row->connect);
  gtk_box_append (GTK_BOX (box), row->pause);
  gtk_box_append (GTK_BOX (box), row->resume);
  gtk_box_append (GTK_BOX (box), row->cancel);
  gtk_box_append (GTK_BOX (box), row->retry);
  g_object_set_data_full (G_OBJECT (box), "pas-row", row, g_free);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             PasTransferPanel         *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  Row *row = g_object_get_data (G_OBJECT (box), "pas-row");
  PasTransfer *transfer = gtk_list_item_get_item (item);
  gboolean upload = pas_transfer_get_direction (transfer) == PAS_TRANSFER_UPLOAD;

  row->transfer = transfer;
  gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), upload ? "send-to-symbolic" : "folder-download-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  upload ? _("Upload") : _("Download"), -1);

  g_signal_connect (transfer, "progress", G_CALLBACK (row_changed_cb), row);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (row_changed_cb), row);
  update_row (row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               PasTransferPanel         *self)
{
  Row *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "pas-row");

  if (row->transfer != NULL)
    g_signal_handlers_disconnect_by_data (row->transfer, row);
  row->transfer = NULL;
}

/* ---- totals and notifications --------------------------------------------------- */

typedef struct
{
  guint running;
  guint asking;
  guint queued;        /* waiting for a free slot */
  guint unconnected;   /* waiting for their server's connection */
  guint paused;
  guint failed;
  guint done;
  guint cancelled;
  int   first_running;
} Counts;

static void
count_states (PasTransferPanel *self,
              Counts           *c)
{
  GListModel *model = G_LIST_MODEL (self->queue);

  *c = (Counts) { .first_running = -1 };
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (model, i);
      const char *server;

      switch (pas_transfer_get_state (t))
        {
        case PAS_TRANSFER_RUNNING:
          c->running++;
          c->asking += pas_transfer_is_asking (t) ? 1 : 0;
          if (c->first_running < 0)
            c->first_running = (int) i;
          break;
        case PAS_TRANSFER_QUEUED:
          server = pas_transfer_queue_get_server (self->queue, t);
          if (server != NULL && pas_transfer_queue_count_sessions (self->queue, server) == 0)
            c->unconnected++;
          else
            c->queued++;
          break;
        case PAS_TRANSFER_PAUSED:
          c->paused++;
          break;
        case PAS_TRANSFER_FAILED:
          c->failed++;
          break;
        case PAS_TRANSFER_DONE:
          c->done++;
          break;
        case PAS_TRANSFER_CANCELLED:
          c->cancelled++;
          break;
        default:
          break;
        }
    }
}

static void
notify_finished (PasTransferPanel *self,
                 guint             failed,
                 guint             done)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (app == NULL || root == NULL || gtk_window_is_active (GTK_WINDOW (root)))
    return;
  notification = g_notification_new (failed > 0 ? _("Transfers Finished With Errors") : _("Transfers Finished"));
  if (failed > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer failed.", "%u transfers failed.", failed),
                            failed);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer done.", "%u transfers done.", done), done);
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "transfers-finished", notification);
}

/* One line for the whole queue, in this order of precedence: a question
 * waits, something moves, something waits for its server, something is
 * paused, then how it all ended. Totals count unfinished work only. */
static gboolean
scroll_to_work_cb (gpointer data)
{
  PasTransferPanel *self = data;

  self->scroll_source = 0;
  if (self->shown_running >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) self->shown_running);
  return G_SOURCE_REMOVE;
}

static void
update_summary (PasTransferPanel *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  g_autofree char *done_text = g_format_size (pas_transfer_queue_get_bytes_done (self->queue));
  g_autofree char *total_text = g_format_size (pas_transfer_queue_get_bytes_total (self->queue));
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint active, left, unsized;
  Counts c;

  count_states (self, &c);
  /* Sizes not known yet: no total to give ("so far"). */
  unsized = pas_transfer_queue_count_unsized (self->queue);
  active = c.running + c.queued;
  left = active + c.unconnected + c.paused;
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  if (active > 0 && !self->busy)
    {
      self->busy = TRUE;
      self->batch_started = g_get_monotonic_time ();
    }
  else if (active == 0 && self->busy)
    {
      self->busy = FALSE;
      if (g_get_monotonic_time () - self->batch_started >= self->notify_after)
        notify_finished (self, c.failed, c.done);
    }
  /* Buttons only for what they can do now. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.pause-all", active + c.unconnected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.resume-all", c.paused > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.cancel-all", left > 0);
  /* The item at work stays in view — scrolled to once the list has laid
   * out its rows (an item that had just been added was not scrolled to). */
  if (c.first_running >= 0 && (c.first_running != self->shown_running || n != self->shown_n_items))
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  (guint) c.first_running);
      /* Again after the next layout, which the busiest main loop still
       * reaches (a low-priority idle starved under ASan). */
      if (self->scroll_source == 0)
        self->scroll_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, scroll_to_work_cb, self, NULL);
    }
  self->shown_running = c.first_running;
  self->shown_n_items = n;

  /* Translators: how many items are left, e.g. "3 items" */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", left), left);
  if (c.asking > 0)
    /* Translators: the transfer panel's header; %s is e.g. "3 items" */
    text = g_strdup_printf (_("Waiting for your answer — %s left"), count);
  else if (active > 0)
    {
      double rate = pas_transfer_queue_get_rate (self->queue);
      gint64 eta = pas_transfer_queue_get_eta (self->queue);

      /* Translators: how many items are moving, e.g. "3 items" */
      g_autofree char *moving = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", active), active);

      /* A paused item is not "transferring": said apart. */
      if (c.paused > 0)
        {
          /* Translators: "3 items (2 paused)": the first %s is e.g. "3 items" */
          g_autofree char *both = g_strdup_printf (_("%s (%u paused)"), moving, c.paused);
          g_free (moving);
          moving = g_steal_pointer (&both);
        }
      if (rate > 0 && eta >= 0)
        {
          g_autofree char *rate_text = g_format_size ((guint64) rate);
          g_autofree char *eta_text = format_eta (eta);
          /* Translators: "Transferring 3 items: 1.2 MB of 40 MB — 3.4 MB/s, 10 seconds left" */
          text = g_strdup_printf (_("Transferring %s: %s of %s — %s/s, %s"), moving, done_text, total_text,
                                  rate_text, eta_text);
        }
      else if (unsized > 0 && rate > 0)
        {
          /* Some sizes are not known yet (a folder being walked, a file
           * queued from outside the panes): a total would be too low. */
          g_autofree char *rate_text = g_format_size ((guint64) rate);
          /* Translators: "Transferring 3 items: 1.2 MB so far — 3.4 MB/s" (their total size is not known yet) */
          text = g_strdup_printf (_("Transferring %s: %s so far — %s/s"), moving, done_text, rate_text);
        }
      else if (unsized > 0)
        /* Translators: "Transferring 3 items: 1.2 MB so far" (their total size is not known yet) */
        text = g_strdup_printf (_("Transferring %s: %s so far"), moving, done_text);
      else
        /* Translators: "Transferring 3 items: 1.2 MB of 40 MB" */
        text = g_strdup_printf (_("Transferring %s: %s of %s"), moving, done_text, total_text);
    }
  else if (c.unconnected > 0)
    /* Translators: "Waiting for the connection — 3 items" */
    text = g_strdup_printf (_("Waiting for the connection — %s"), count);
  else if (c.paused > 0 && pas_transfer_queue_get_bytes_total (self->queue) == 0)
    /* Translators: "Paused — 2 items" (restored from an earlier run: sizes come when they run) */
    text = g_strdup_printf (_("Paused — %s"), count);
  else if (c.paused > 0 && unsized > 0)
    /* Translators: "Paused — 2 items: 52 MB so far" (their total size is not known yet) */
    text = g_strdup_printf (_("Paused — %s: %s so far"), count, done_text);
  else if (c.paused > 0)
    /* Translators: "Paused — 2 items: 52 MB of 200 MB" */
    text = g_strdup_printf (_("Paused — %s: %s of %s"), count, done_text, total_text);
  else if (c.failed > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done with %u failed", "Done with %u failed", c.failed),
                            c.failed);
  else if (c.cancelled > 0 && c.done == 0)
    /* Nothing copied: "Done" would say otherwise. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer cancelled", "%u transfers cancelled",
                                         c.cancelled), c.cancelled);
  else if (n > 0)
    text = g_strdup (_("Done"));
  else
    text = g_strdup (_("No transfers"));
  pas_cell_text_set_text (self->summary_label, text);
}

static void
queue_progress_cb (PasTransferQueue *queue,
                   PasTransferPanel *self)
{
  update_summary (self);
}

static void
queue_items_changed_cb (GListModel       *model,
                        guint             position,
                        guint             removed,
                        guint             added,
                        PasTransferPanel *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (model, i);

      g_signal_connect_object (t, "notify::state", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
    }
  update_summary (self);
}

const char *
pas_transfer_panel_get_summary (PasTransferPanel *self)
{
  g_return_val_if_fail (PAS_IS_TRANSFER_PANEL (self), NULL);

  return pas_cell_text_get_text (self->summary_label);
}

/* ---- actions ---------------------------------------------------------------------- */

static void
all_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PasTransferPanel *self = PAS_TRANSFER_PANEL (widget);

  if (g_str_equal (action_name, "panel.pause-all"))
    pas_transfer_queue_pause (self->queue, NULL);
  else if (g_str_equal (action_name, "panel.resume-all"))
    pas_transfer_queue_resume (self->queue, NULL);
  else if (g_str_equal (action_name, "panel.cancel-all"))
    pas_transfer_queue_cancel (self->queue, NULL);
  else if (g_str_equal (action_name, "panel.clear-finished"))
    pas_transfer_queue_clear_finished (self->queue);
  update_summary (self);
}

/* ---- GObject ----------------------------------------------------------------------- */

PasTransferPanel *
pas_transfer_panel_new (PasTransferQueue *queue)
{
  PasTransferPanel *self = g_object_new (PAS_TYPE_TRANSFER_PANEL, NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->queue = g_object_ref (queue);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (queue)))));
  g_signal_connect_object (queue, "progress", G_CALLBACK (queue_progress_cb), self, 0);
  g_signal_connect_object (queue, "items-changed", G_CALLBACK (queue_items_changed_cb), self, 0);
  queue_items_changed_cb (G_LIST_MODEL (queue), 0, 0, g_list_model_get_n_items (G_LIST_MODEL (queue)), self);
  return self;
}

static void
pas_transfer_panel_dispose (GObject *object)
{
  PasTransferPanel *self = PAS_TRANSFER_PANEL (object);
  GtkWidget *child;

  g_clear_handle_id (&self->scroll_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAS_TYPE_TRANSFER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (pas_transfer_panel_parent_class)->dispose (object);
}

static void
pas_transfer_panel_class_init (PasTransferPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pas_transfer_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-transfer-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transferpanel");
  g_type_ensure (PAS_TYPE_CELL_TEXT);
  gtk_widget_class_bind_template_child (widget_class, PasTransferPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PasTransferPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, PasTransferPanel, stack);

  gtk_widget_class_install_action (widget_class, "panel.pause-all", NULL, all_action_cb);
  gtk_widget_class_install_action (widget_class, "panel.resume-all", NULL, all_action_cb);
  gtk_widget_class_install_action (widget_class, "panel.cancel-all", NULL, all_action_cb);
  gtk_widget_class_install_action (widget_class, "panel.clear-finished", NULL, all_action_cb);
}

/* How long a batch must have run for its end to be notified (tests: 0). */
void
pas_transfer_panel_set_notify_after (PasTransferPanel *self,
                                     gint64            usec)
{
  g_return_if_fail (PAS_IS_TRANSFER_PANEL (self));

  self->notify_after = usec;
}

static void
pas_transfer_panel_init (PasTransferPanel *self)
{
  self->notify_after = NOTIFY_AFTER_USEC;
  self->shown_running = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  pas_cell_text_set_live (self->summary_label, TRUE);
}
