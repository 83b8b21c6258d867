/* What a pane says about its folder: the status line under the list, the
 * spinner, the page shown instead of an empty or unreadable folder, and
 * Compare's marks and counts. */

#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-file-pane-private.h"

/* The line under the list ("3 items selected of 12 — compared: 1 newer"),
 * the spinner, and the page shown instead of an empty list. */
void
pas_file_pane_update_status (PasFilePane *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->file_list));
  const char *filter_text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint hidden = filter_text[0] == '\0' && !self->show_hidden ? pas_file_list_get_n_hidden (self->file_list) : 0;
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n_selected = gtk_bitset_get_size (selected);
  gboolean loading = pas_file_pane_is_loading (self);
  const GError *error = NULL;
  g_autofree char *text = NULL;

  if (self->directory != NULL)
    error = self->remote ? pas_remote_directory_get_error (PAS_REMOTE_DIRECTORY (self->directory))
                         : gtk_directory_list_get_error (GTK_DIRECTORY_LIST (self->directory));

  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);

  if (error != NULL && n == 0)
    {
      adw_status_page_set_icon_name (self->message_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->message_page, _("Cannot Open This Folder"));
      adw_status_page_set_description (self->message_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "message");
    }
  else if (n == 0 && !loading && hidden > 0)
    {
      g_autofree char *description =
        /* Translators: shown over an empty list when all entries are hidden files */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hidden item. Press Ctrl+H to show it.",
                                      "%u hidden items. Press Ctrl+H to show them.", hidden), hidden);

      adw_status_page_set_icon_name (self->message_page, "view-conceal-symbolic");
      adw_status_page_set_title (self->message_page, _("Only Hidden Files"));
      adw_status_page_set_description (self->message_page, description);
      gtk_stack_set_visible_child_name (self->stack, "message");
    }
  else if (n == 0 && !loading)
    {
      adw_status_page_set_icon_name (self->message_page, "folder-symbolic");
      adw_status_page_set_title (self->message_page, _("Folder Is Empty"));
      adw_status_page_set_description (self->message_page, NULL);
      gtk_stack_set_visible_child_name (self->stack, "message");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (n_selected > 0)
    /* Translators: the status line of a file list; the plural agrees with
     * the first number (what is selected), e.g. "3 items selected of 12" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item selected of %u", "%u items selected of %u",
                                         (gulong) n_selected), (guint) n_selected, n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
  if (hidden > 0)
    {
      /* Translators: appended to "12 items": how many hidden files are not shown */
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u hidden)", "%s (%u hidden)",
                                                            hidden), text, hidden);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  if (self->remote && self->directory != NULL &&
      pas_remote_directory_get_n_hidden_unsafe (PAS_REMOTE_DIRECTORY (self->directory)) > 0)
    {
      guint unsafe = pas_remote_directory_get_n_hidden_unsafe (PAS_REMOTE_DIRECTORY (self->directory));
      /* Translators: appended to "12 items": entries whose names cannot name a file here ("a/b", "..") */
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u unusable name left out",
                                                            "%s, %u unusable names left out", unsafe),
                                               text, unsafe);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  if (self->marks != NULL)
    {
      /* Compare's marks in words: what differs, or that nothing does. */
      g_autoptr(GString) differences = g_string_new (NULL);
      g_autofree char *more = NULL;

      for (guint k = 0; k < PAS_SYNC_MARK_SAME; k++)
        {
          guint count = self->mark_counts[k];
          g_autofree char *words = NULL;

          if (count == 0)
            continue;
          if (k == PAS_SYNC_MARK_ONLY_HERE)
            /* Translators: Compare, in a file list's status line: "3 only here" */
            words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u only here", "%u only here", count), count);
          else if (k == PAS_SYNC_MARK_NEWER_HERE)
            /* Translators: Compare, in a file list's status line: "2 newer" (than on the other side) */
            words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u newer", "%u newer", count), count);
          else if (k == PAS_SYNC_MARK_OLDER_HERE)
            /* Translators: Compare, in a file list's status line: "1 older" (than on the other side) */
            words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u older", "%u older", count), count);
          else
            /* Translators: Compare, in a file list's status line: "1 not the same" */
            words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u not the same", "%u not the same", count),
                                     count);
          if (differences->len > 0)
            g_string_append (differences, ", ");
          g_string_append (differences, words);
        }
      if (self->only_there > 0)
        {
          if (differences->len > 0)
            g_string_append (differences, ", ");
          /* Translators: Compare, in a file list's status line: "2 only there" (on the other side) */
          g_string_append_printf (differences, g_dngettext (GETTEXT_PACKAGE, "%u only there", "%u only there",
                                                            self->only_there), self->only_there);
        }
      if (differences->len == 0)
        /* Translators: Compare, after "12 items" in a file list's status line */
        more = g_strdup_printf (_("%s — same on both sides"), text);
      else
        /* Translators: Compare, after "12 items": e.g. "12 items — compared: 3 only here, 1 newer" */
        more = g_strdup_printf (_("%s — compared: %s"), text, differences->str);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  if (self->note != NULL)
    {
      /* Translators: a note after a file list's status, e.g. "12 items — browsing together" */
      g_autofree char *more = g_strdup_printf (_("%s — %s"), text, self->note);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->status_label, text);
}

void
pas_file_pane_set_marks (PasFilePane *self,
                         GHashTable  *marks,
                         guint        only_there)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  if (marks == self->marks && only_there == self->only_there)
    return;
  self->only_there = only_there;
  if (marks != NULL)
    g_hash_table_ref (marks);
  g_clear_pointer (&self->marks, g_hash_table_unref);
  self->marks = marks;
  memset (self->mark_counts, 0, sizeof self->mark_counts);
  if (marks != NULL)
    {
      GHashTableIter iter;
      gpointer mark;

      g_hash_table_iter_init (&iter, marks);
      while (g_hash_table_iter_next (&iter, NULL, &mark))
        if (GPOINTER_TO_INT (mark) >= 1 && GPOINTER_TO_INT (mark) <= (int) G_N_ELEMENTS (self->mark_counts))
          self->mark_counts[GPOINTER_TO_INT (mark) - 1]++;
    }
  pas_file_pane_update_status (self);
  g_signal_emit (self, pas_file_pane_signals[SIGNAL_MARKS_CHANGED], 0);
}

void
pas_file_pane_set_note (PasFilePane *self,
                        const char  *note)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  if (g_strcmp0 (note, self->note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  pas_file_pane_update_status (self);
}

int
pas_file_pane_get_mark (PasFilePane *self,
                        const char  *name)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), -1);

  if (self->marks == NULL || name == NULL)
    return -1;
  return GPOINTER_TO_INT (g_hash_table_lookup (self->marks, name)) - 1;
}

