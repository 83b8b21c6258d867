/* PasFileList: the order the panes show (folders first, then by the chosen
 * column, ties by name as a person reads names), and its changes as a
 * GListModel: every "items-changed" it emits, applied to a copy, gives
 * exactly its contents — also while a big listing is merged in steps by its
 * worker, and when the source goes away in the middle. */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "pas-file-list.h"

static GFileInfo *
file (const char *name,
      GFileType   type,
      goffset     size,
      guint64     mtime)
{
  GFileInfo *info = g_file_info_new ();

  g_file_info_set_name (info, name);
  g_file_info_set_display_name (info, name);
  g_file_info_set_file_type (info, type);
  g_file_info_set_size (info, size);
  g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, mtime);
  return info;
}

static void
wait_idle (PasFileList *list)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((pas_file_list_is_busy (list) || g_main_context_pending (NULL)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, pas_file_list_is_busy (list));
  g_assert_false (pas_file_list_is_busy (list));
}

static char *
names (GListModel *model)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);
      g_string_append_printf (s, "%s%s", i > 0 ? " " : "", g_file_info_get_name (info));
    }
  return g_string_free (s, FALSE);
}

/* A copy kept up to date from the signals alone. */
typedef struct
{
  GPtrArray *copy;
  guint      emissions;
} Mirror;

static void
mirror_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->copy->len);
  g_ptr_array_remove_range (mirror->copy, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->copy, position + i, g_list_model_get_item (model, position + i));
  mirror->emissions++;
  g_assert_cmpuint (mirror->copy->len, ==, g_list_model_get_n_items (model));
}

static void
assert_mirror (Mirror     *mirror,
               GListModel *model)
{
  g_assert_cmpuint (mirror->copy->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < mirror->copy->len; i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);
      g_assert_true (g_ptr_array_index (mirror->copy, i) == info);
    }
}

/* What a view does: on a change, it may ask for something else at once. */
static void
resort_once_cb (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                gboolean   *asked)
{
  if (*asked)
    return;
  *asked = TRUE;
  pas_file_list_set_order (PAS_FILE_LIST (model), PAS_FILE_ORDER_SIZE, TRUE);
}

/* A change asked for while the list announces one is not lost (the list
 * used to say "idle" with the new order never applied). */
static void
test_asked_during_change (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  g_autofree char *text = NULL;
  gboolean asked = FALSE;

  g_signal_connect (list, "items-changed", G_CALLBACK (resort_once_cb), &asked);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, 10 * (i + 1), 100);

      g_list_store_append (store, info);
    }
  pas_file_list_set_model (list, G_LIST_MODEL (store));
  wait_idle (list);
  g_assert_true (asked);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "f2 f1 f0");
}

typedef struct
{
  GListModel *other;
  guint       steps;
} Replace;

/* On the second step of a big listing, the view opens another folder. */
static void
replace_on_step_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Replace    *replace)
{
  if (replace->other == NULL || added == 0 || ++replace->steps < 2)
    return;
  pas_file_list_set_model (PAS_FILE_LIST (model), g_steal_pointer (&replace->other));
}

/* The old listing's steps stop there; the new folder shows, whole. */
static void
test_replaced_during_step (void)
{
  g_autoptr(GListStore) big = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(GListStore) small = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  g_autofree char *text = NULL;
  Replace replace = { G_LIST_MODEL (small), 0 };

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *name = g_strdup_printf ("big%05u", i);
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, i, 100);

      g_list_store_append (big, info);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("small%u", i);
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, i, 100);

      g_list_store_append (small, info);
    }
  g_signal_connect (list, "items-changed", G_CALLBACK (replace_on_step_cb), &replace);
  pas_file_list_set_model (list, G_LIST_MODEL (big));
  wait_idle (list);
  g_assert_null (replace.other);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "small0 small1");
}

static void
test_order (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  GFileInfo *infos[] = {
    file ("file10.txt", G_FILE_TYPE_REGULAR, 30, 300),
    file ("b-dir", G_FILE_TYPE_DIRECTORY, 0, 100),
    file ("Zeta", G_FILE_TYPE_REGULAR, 10, 200),
    file ("file9.txt", G_FILE_TYPE_REGULAR, 20, 400),
    file ("A-dir", G_FILE_TYPE_DIRECTORY, 0, 500),
    file ("alpha", G_FILE_TYPE_REGULAR, 20, 100),
  };
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_list_store_append (store, infos[i]);
      g_object_unref (infos[i]);
    }
  pas_file_list_set_model (list, G_LIST_MODEL (store));
  wait_idle (list);
  /* Folders first; case does not count; numbers as numbers. */
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "A-dir b-dir alpha file9.txt file10.txt Zeta");
  g_free (text);

  pas_file_list_set_order (list, PAS_FILE_ORDER_SIZE, FALSE);
  wait_idle (list);
  /* Ties (alpha and file9.txt, both 20 bytes) by name. */
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "A-dir b-dir Zeta alpha file9.txt file10.txt");
  g_free (text);

  pas_file_list_set_order (list, PAS_FILE_ORDER_SIZE, TRUE);
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "A-dir b-dir file10.txt alpha file9.txt Zeta");
  g_free (text);

  pas_file_list_set_order (list, PAS_FILE_ORDER_MODIFIED, TRUE);
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "A-dir b-dir file9.txt file10.txt Zeta alpha");
  g_free (text);

  pas_file_list_set_order (list, PAS_FILE_ORDER_NAME, TRUE);
  wait_idle (list);
  /* Folders stay first whatever the direction. */
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "b-dir A-dir Zeta file10.txt file9.txt alpha");
}

/* 30,000 entries arriving in batches, as a big remote folder does: the
 * worker sorts, the list shows the result in steps, and the signals always
 * describe the contents. */
static void
test_big_listing (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  gboolean was_busy = FALSE;
  const guint total = 30000;

  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_cb), &mirror);
  pas_file_list_set_model (list, G_LIST_MODEL (store));
  for (guint batch = 0; batch < 10; batch++)
    {
      g_autoptr(GPtrArray) add = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < total / 10; i++)
        {
          g_autofree char *name = g_strdup_printf ("f%08x-%u", g_rand_int (rand), batch * (total / 10) + i);
          g_ptr_array_add (add, file (name, i % 50 == 0 ? G_FILE_TYPE_DIRECTORY : G_FILE_TYPE_REGULAR, i, i));
        }
      g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, add->pdata, add->len);
      was_busy |= pas_file_list_is_busy (list);
      /* Some main-loop turns between batches, as between network reads. */
      for (guint k = 0; k < 3; k++)
        g_main_context_iteration (NULL, FALSE);
      assert_mirror (&mirror, G_LIST_MODEL (list));
    }
  wait_idle (list);
  assert_mirror (&mirror, G_LIST_MODEL (list));
  g_assert_true (was_busy);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, total);
  /* Shown in steps, not in one change per batch. */
  g_test_message ("%u changes for %u entries", mirror.emissions, total);
  g_assert_cmpuint (mirror.emissions, >, 10);
  /* Sorted: folders, then names in order. */
  for (guint i = 1; i < total; i++)
    {
      g_autoptr(GFileInfo) a = g_list_model_get_item (G_LIST_MODEL (list), i - 1);
      g_autoptr(GFileInfo) b = g_list_model_get_item (G_LIST_MODEL (list), i);
      gboolean fa = g_file_info_get_file_type (a) == G_FILE_TYPE_DIRECTORY;
      gboolean fb = g_file_info_get_file_type (b) == G_FILE_TYPE_DIRECTORY;

      g_assert_true (fa >= fb);
      if (fa == fb)
        {
          /* As a person reads names: case-folded, numbers as numbers. */
          g_autofree char *fold_a = g_utf8_casefold (g_file_info_get_name (a), -1);
          g_autofree char *fold_b = g_utf8_casefold (g_file_info_get_name (b), -1);
          g_autofree char *key_a = g_utf8_collate_key_for_filename (fold_a, -1);
          g_autofree char *key_b = g_utf8_collate_key_for_filename (fold_b, -1);

          g_assert_cmpint (strcmp (key_a, key_b), <, 0);
        }
    }
  g_ptr_array_unref (mirror.copy);
}

/* Removals, an entry that changes (a link found to be a folder), and a
 * source swapped while the worker still sorts the old one. */
static void
test_changes (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(GListStore) other = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  g_autofree char *text = NULL;

  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_cb), &mirror);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, 1, 1);
      g_list_store_append (store, info);
    }
  pas_file_list_set_model (list, G_LIST_MODEL (store));
  wait_idle (list);
  g_list_store_remove (store, 1);
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "n0 n2 n3 n4");
  g_free (text);
  {
    /* The store's last entry turns out to be a folder. */
    g_autoptr(GFileInfo) last = g_list_model_get_item (G_LIST_MODEL (store), 3);

    g_file_info_set_file_type (last, G_FILE_TYPE_DIRECTORY);
    g_list_model_items_changed (G_LIST_MODEL (store), 3, 1, 1);
  }
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "n4 n0 n2 n3");
  g_free (text);
  assert_mirror (&mirror, G_LIST_MODEL (list));

  /* A big listing, replaced at once by a small one. */
  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *name = g_strdup_printf ("big%05u", 19999 - i);
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, 1, 1);
      g_list_store_append (store, info);
    }
  g_assert_true (pas_file_list_is_busy (list));
  {
    g_autoptr(GFileInfo) info = file ("only", G_FILE_TYPE_REGULAR, 1, 1);
    g_list_store_append (other, info);
  }
  pas_file_list_set_model (list, G_LIST_MODEL (other));
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "only");
  assert_mirror (&mirror, G_LIST_MODEL (list));
  pas_file_list_set_model (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  assert_mirror (&mirror, G_LIST_MODEL (list));
  g_ptr_array_unref (mirror.copy);
}

/* Hidden files and the search text, small and big (the worker filters
 * 30,000 entries), and entries arriving while a filter is on. */
static void
test_filter (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE_INFO);
  g_autoptr(PasFileList) list = pas_file_list_new ();
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  const char *small[] = { ".bashrc", "Notes.txt", "photo.JPG", ".cache", "notebook" };
  g_autofree char *text = NULL;

  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_cb), &mirror);
  for (guint i = 0; i < G_N_ELEMENTS (small); i++)
    {
      g_autoptr(GFileInfo) info = file (small[i], i == 3 ? G_FILE_TYPE_DIRECTORY : G_FILE_TYPE_REGULAR, 1, 1);

      g_file_info_set_is_hidden (info, small[i][0] == '.');
      g_list_store_append (store, info);
    }
  pas_file_list_set_model (list, G_LIST_MODEL (store));
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "notebook Notes.txt photo.JPG");
  g_assert_cmpuint (pas_file_list_get_n_hidden (list), ==, 2);
  g_free (text);

  pas_file_list_set_filter (list, TRUE, NULL);
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, ".cache .bashrc notebook Notes.txt photo.JPG");
  g_free (text);

  /* Ignoring case, hidden or not. */
  pas_file_list_set_filter (list, TRUE, "NOTE");
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "notebook Notes.txt");
  g_free (text);
  pas_file_list_set_filter (list, FALSE, "c");
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "");
  g_free (text);
  pas_file_list_set_filter (list, TRUE, "c");
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, ".cache .bashrc");
  g_free (text);
  assert_mirror (&mirror, G_LIST_MODEL (list));

  /* New entries meet the filter that is on; removing a hidden file counts. */
  {
    g_autoptr(GFileInfo) match = file (".vimrc", G_FILE_TYPE_REGULAR, 1, 1);
    g_autoptr(GFileInfo) other = file ("readme", G_FILE_TYPE_REGULAR, 1, 1);

    g_file_info_set_is_hidden (match, TRUE);
    g_list_store_append (store, match);
    g_list_store_append (store, other);
  }
  g_list_store_remove (store, 0);
  wait_idle (list);
  text = names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, ".cache .vimrc");
  g_assert_cmpuint (pas_file_list_get_n_hidden (list), ==, 2);
  g_clear_pointer (&text, g_free);

  /* A big folder: the worker filters it. */
  for (guint i = 0; i < 30000; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%05u%s", i, i % 1000 == 7 ? "-keep" : "");
      g_autoptr(GFileInfo) info = file (name, G_FILE_TYPE_REGULAR, 1, 1);
      g_list_store_append (store, info);
    }
  pas_file_list_set_filter (list, FALSE, "KEEP");
  g_assert_true (pas_file_list_is_busy (list));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 30);
  {
    g_autoptr(GFileInfo) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (g_file_info_get_name (first), ==, "f00007-keep");
  }
  pas_file_list_set_filter (list, FALSE, NULL);
  wait_idle (list);
  /* Notes.txt, photo.JPG, notebook, readme and the big folder. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4 + 30000);
  assert_mirror (&mirror, G_LIST_MODEL (list));
  g_ptr_array_unref (mirror.copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-list/order", test_order);
  g_test_add_func ("/file-list/asked-during-change", test_asked_during_change);
  g_test_add_func ("/file-list/replaced-during-step", test_replaced_during_step);
  g_test_add_func ("/file-list/big-listing", test_big_listing);
  g_test_add_func ("/file-list/changes", test_changes);
  g_test_add_func ("/file-list/filter", test_filter);
  return g_test_run ();
}
