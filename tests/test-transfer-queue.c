/* PasTransferQueue against a real sshd: two at a time, pause, resume,
 * cancel and retry, items and answers that survive a restart, two items
 * for one target, and a server that goes away. */
#include "config.h"

#include "transfer-fixture.h"

static gboolean
all_settled (PasTransferQueue *queue)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (G_LIST_MODEL (queue), i);
      PasTransferState state = pas_transfer_get_state (t);

      if (state == PAS_TRANSFER_QUEUED || state == PAS_TRANSFER_RUNNING)
        return FALSE;
    }
  return TRUE;
}

static void
wait_settled (PasTransferQueue *queue)
{
  while (!all_settled (queue))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_state (PasTransfer     *transfer,
            PasTransferState state)
{
  while (pas_transfer_get_state (transfer) != state)
    g_main_context_iteration (NULL, TRUE);
}

/* Removals run in the background (a thread here, a request there). */
static void
wait_gone (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s is still there", path);
}

static void
wait_progress (PasTransfer *transfer)
{
  while (pas_transfer_get_bytes_done (transfer) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_running_cb (PasTransfer *transfer,
                  GParamSpec  *pspec,
                  guint       *peak)
{
  static guint running;

  if (pas_transfer_get_state (transfer) == PAS_TRANSFER_RUNNING)
    {
      running++;
      *peak = MAX (*peak, running);
    }
  else if (running > 0)
    running--;
}

static void
test_queue (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "queue.ini");
  g_autoptr(PasTransferQueue) queue = pas_transfer_queue_new (state_file);
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint peak = 0, progress = 0;

  g_signal_connect (queue, "progress", G_CALLBACK (count_cb), &progress);
  /* Three items, two at a time, all done, in order. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("q%u.bin", i);
      g_autofree char *source = path_in (f->remote, name);
      g_autofree char *target = path_in (f->local, name);
      PasTransfer *t = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);

      write_random (source, 3 * 1024 * 1024, 20 + i);
      g_signal_connect (t, "notify::state", G_CALLBACK (count_running_cb), &peak);
      g_ptr_array_add (transfers, t);
      pas_transfer_queue_add (queue, t, "server");
      g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_QUEUED);
    }
  /* Nothing runs until the server's channels are there. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);
  /* Sizes not looked at yet are said to be unknown: no total, no time left.
   * Given as a listing showed them, they count from the start. */
  g_assert_cmpuint (pas_transfer_queue_count_unsized (queue), ==, 3);
  g_assert_cmpint (pas_transfer_queue_get_eta (queue), ==, -1);
  g_assert_false (pas_transfer_is_size_known (g_ptr_array_index (transfers, 0)));
  for (guint i = 0; i < 3; i++)
    pas_transfer_set_expected_size (g_ptr_array_index (transfers, i), 3 * 1024 * 1024);
  g_assert_cmpuint (pas_transfer_queue_count_unsized (queue), ==, 0);
  g_assert_cmpuint (pas_transfer_queue_get_bytes_total (queue), ==, 9 * 1024 * 1024);
  pas_transfer_queue_set_sessions (queue, "server", &f->sftp, 1);
  wait_settled (queue);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("q%u.bin", i);
      g_autofree char *source = path_in (f->remote, name);
      g_autofree char *target = path_in (f->local, name);

      g_assert_cmpint (pas_transfer_get_state (g_ptr_array_index (transfers, i)), ==, PAS_TRANSFER_DONE);
      assert_same_file (source, target);
    }
  g_assert_cmpuint (peak, ==, 2);
  g_assert_cmpuint (progress, >=, 1);
  /* Each kept its figures; the queue's totals count unfinished work only. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (pas_transfer_get_bytes_done (g_ptr_array_index (transfers, i)), ==, 3 * 1024 * 1024);
  g_assert_cmpuint (pas_transfer_queue_get_bytes_done (queue), ==, 0);
  g_assert_cmpuint (pas_transfer_queue_get_bytes_total (queue), ==, 0);
  pas_transfer_queue_clear_finished (queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
}

static void
test_queue_pause_cancel_retry (Fixture      *f,
                               gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "queue.ini");
  g_autofree char *source = path_in (f->remote, "slow.bin");
  g_autofree char *target = path_in (f->local, "slow.bin");
  g_autofree char *partial = g_strconcat (target, ".filepart", NULL);
  g_autoptr(PasTransferQueue) queue = pas_transfer_queue_new (state_file);
  g_autoptr(PasTransfer) t = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);
  gint64 started;

  write_random (source, 6 * 1024 * 1024, 30);
  /* 4 MiB/s: slow enough to catch it running. */
  pas_transfer_queue_set_speed_limit (queue, 4 * 1024 * 1024);
  pas_transfer_queue_set_sessions (queue, "server", &f->sftp, 1);
  started = g_get_monotonic_time ();
  pas_transfer_queue_add (queue, t, "server");
  wait_progress (t);

  pas_transfer_queue_pause (queue, t);
  wait_state (t, PAS_TRANSFER_PAUSED);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  /* Resuming continues the partial copy. */
  pas_transfer_queue_resume (queue, t);
  wait_state (t, PAS_TRANSFER_RUNNING);
  while (pas_transfer_get_bytes_resumed (t) == 0 && pas_transfer_get_state (t) == PAS_TRANSFER_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pas_transfer_get_bytes_resumed (t), >, 0);
  pas_transfer_queue_pause (queue, t);
  wait_state (t, PAS_TRANSFER_PAUSED);

  /* Cancel is for good: the partial copy goes; a retry starts over. */
  pas_transfer_queue_cancel (queue, t);
  g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_CANCELLED);
  wait_gone (partial);
  pas_transfer_queue_retry (queue, t);
  wait_settled (queue);
  g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_DONE);
  assert_same_file (source, target);
  g_assert_cmpuint (pas_transfer_get_bytes_resumed (t), ==, 0);
  /* 6 MiB at 4 MiB/s (with a quarter-second burst): over a second. */
  g_test_message ("took %.2f s", (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - started, >, 1000000);
  pas_transfer_queue_clear_finished (queue);

  /* An upload cancelled while it runs removes its partial copy on the server. */
  {
    g_autofree char *up_source = path_in (f->local, "up-slow.bin");
    g_autofree char *up_target = path_in (f->remote, "up-slow.bin");
    g_autofree char *up_partial = g_strconcat (up_target, ".filepart", NULL);
    g_autoptr(PasTransfer) up = new_transfer (PAS_TRANSFER_UPLOAD, up_target, up_source);
    guint ended = 0;

    g_signal_connect (queue, "item-ended", G_CALLBACK (item_ended_cb), &ended);
    write_random (up_source, 6 * 1024 * 1024, 31);
    pas_transfer_queue_add (queue, up, "server");
    wait_progress (up);
    g_assert_true (g_file_test (up_partial, G_FILE_TEST_EXISTS));
    pas_transfer_queue_cancel (queue, up);
    wait_settled (queue);
    g_assert_cmpint (pas_transfer_get_state (up), ==, PAS_TRANSFER_CANCELLED);
    wait_gone (up_partial);
    g_assert_false (g_file_test (up_target, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (ended, ==, 1);
  }
}

/* A restart after "Replace" continues the partial copy without asking
 * again: the queue saved the answer with the item. */
/* A sync's list is saved as what is left of it: restored, it copies those
 * files, not the whole folder its two paths name. */
static void
test_queue_list_survives_restart (Fixture      *f,
                                  gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "state/queue.ini");
  const char *source, *destination;
  g_autoptr(GError) error = NULL;

  list_roots (f, PAS_TRANSFER_UPLOAD, &source, &destination);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("sub/%u;x.txt", i);
      g_autofree char *path = path_in (source, name);

      write_random (path, 100 + i, 60 + i);
    }
  {
    g_autoptr(PasTransferQueue) before = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransfer) t = new_list_transfer (f, PAS_TRANSFER_UPLOAD);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_assert_true (pas_transfer_set_files (t, (const char *[]) { "sub/0;x.txt", "sub/2;x.txt", NULL }));
    pas_transfer_queue_add (before, t, "demo box");
    pas_transfer_queue_pause (before, t);
    while (!g_file_test (state_file, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
  }
  {
    g_autoptr(PasTransferQueue) after = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransfer) restored = NULL;
    g_auto(GStrv) files = NULL;
    g_autofree char *other = path_in (destination, "sub/1;x.txt");

    g_assert_true (pas_transfer_queue_load (after, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (after)), ==, 1);
    restored = g_list_model_get_item (G_LIST_MODEL (after), 0);
    files = pas_transfer_dup_files (restored);
    g_assert_cmpstrv (files, ((const char *[]) { "sub/0;x.txt", "sub/2;x.txt", NULL }));
    pas_transfer_queue_set_sessions (after, "demo box", &f->sftp, 1);
    pas_transfer_queue_resume (after, restored);
    wait_settled (after);
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_DONE);
    for (guint i = 0; i < 3; i += 2)
      {
        g_autofree char *name = g_strdup_printf ("sub/%u;x.txt", i);
        g_autofree char *from = path_in (source, name);
        g_autofree char *to = path_in (destination, name);

        assert_same_file (from, to);
      }
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  {
    /* A list whose paths leave its folders (a damaged or hostile file) is
     * not restored. */
    g_autoptr(PasTransferQueue) hostile = pas_transfer_queue_new (state_file);
    g_autofree char *text = g_strdup_printf ("[Transfer 0]\nDirection=upload\nServer=demo box\nRemote=%s\n"
                                             "Local=%s\nFiles=../../etc/passwd;\n", f->remote, f->local);

    g_assert_true (g_file_set_contents (state_file, text, -1, NULL));
    g_assert_false (pas_transfer_queue_load (hostile, &error));
    g_assert_error (error, PAS_ERROR, PAS_ERROR_FAILED);
    g_test_message ("%s", error->message);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (hostile)), ==, 0);
  }
}

static void
test_queue_restart_keeps_answer (Fixture      *f,
                                 gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "queue.ini");
  g_autofree char *source = path_in (f->local, "big.bin");
  g_autofree char *target = path_in (f->remote, "big.bin");
  g_autofree char *partial = g_strconcat (target, ".filepart", NULL);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasTransfer) restored = NULL;
  g_autoptr(GError) error = NULL;

  write_random (source, 6 * 1024 * 1024, 32);
  g_assert_true (g_file_set_contents (target, "the old version", -1, NULL));
  {
    g_autoptr(PasTransferQueue) before = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransfer) t = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
    g_autoptr(GKeyFile) saved = g_key_file_new ();
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    pas_transfer_set_conflict_policy (t, PAS_CONFLICT_ASK);
    pas_transfer_set_interaction (t, PAS_INTERACTION (interaction));
    g_queue_push_tail (&interaction->conflict_answers, GINT_TO_POINTER (PAS_CONFLICT_OVERWRITE));
    pas_transfer_queue_set_speed_limit (before, 2 * 1024 * 1024);
    pas_transfer_queue_set_sessions (before, "server", &f->sftp, 1);
    pas_transfer_queue_add (before, t, "server");
    wait_progress (t);
    g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
    /* Still running (as at a crash), the file says "overwrite" within a second or so. */
    for (;;)
      {
        g_autofree char *policy = NULL;

        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
        g_key_file_load_from_file (saved, state_file, G_KEY_FILE_NONE, NULL);
        policy = g_key_file_get_string (saved, "Transfer 0", "Conflict", NULL);
        if (g_strcmp0 (policy, "overwrite") == 0 || g_get_monotonic_time () > deadline)
          break;
      }
    {
      g_autofree char *conflict = g_key_file_get_string (saved, "Transfer 0", "Conflict", NULL);
      g_assert_cmpstr (conflict, ==, "overwrite");
    }
    g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_RUNNING);
    pas_transfer_queue_set_sessions (before, "server", NULL, 0);
    wait_state (t, PAS_TRANSFER_QUEUED);
  }
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  {
    g_autoptr(PasTransferQueue) after = pas_transfer_queue_new (state_file);

    g_assert_true (pas_transfer_queue_load (after, &error));
    g_assert_no_error (error);
    restored = g_list_model_get_item (G_LIST_MODEL (after), 0);
    pas_transfer_set_interaction (restored, PAS_INTERACTION (interaction));
    pas_transfer_queue_set_sessions (after, "server", &f->sftp, 1);
    wait_settled (after);
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_DONE);
    g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
    g_assert_cmpuint (pas_transfer_get_bytes_resumed (restored), >, 0);
    assert_same_file (source, target);
    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  }
}

/* "Keep Both" on a one-file download, then a pause, then a restart: each
 * later run continues into the name chosen the first time — no second
 * question, no third name, no .filepart left behind. A failure is saved
 * as a failure, with its reason. */
static void
test_queue_keep_both_continues (Fixture      *f,
                                gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "keep-both-queue.ini");
  g_autofree char *source = path_in (f->remote, "report.bin");
  g_autofree char *target = path_in (f->local, "report.bin");
  g_autofree char *second = path_in (f->local, "report (2).bin");
  g_autofree char *second_partial = g_strconcat (second, ".filepart", NULL);
  g_autofree char *third = path_in (f->local, "report (3).bin");
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(GError) error = NULL;

  write_random (source, 6 * 1024 * 1024, 33);
  g_assert_true (g_file_set_contents (target, "mine", -1, NULL));
  {
    g_autoptr(PasTransferQueue) before = pas_transfer_queue_new (state_file);
    g_autoptr(GFile) local = g_file_new_for_path (target);
    g_autoptr(PasTransfer) t = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, source, local);
    g_autoptr(GKeyFile) saved = g_key_file_new ();
    g_autofree char *kept = NULL;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    pas_transfer_set_conflict_policy (t, PAS_CONFLICT_ASK);
    pas_transfer_set_interaction (t, PAS_INTERACTION (interaction));
    g_queue_push_tail (&interaction->conflict_answers, GINT_TO_POINTER (PAS_CONFLICT_RENAME));
    pas_transfer_queue_set_speed_limit (before, 2 * 1024 * 1024);
    pas_transfer_queue_set_sessions (before, "server", &f->sftp, 1);
    pas_transfer_queue_add (before, t, "server");
    wait_progress (t);
    g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
    /* Paused and resumed in this process: on into "report (2).bin". */
    pas_transfer_queue_pause (before, t);
    wait_state (t, PAS_TRANSFER_PAUSED);
    g_assert_true (g_file_test (second_partial, G_FILE_TEST_EXISTS));
    pas_transfer_queue_resume (before, t);
    wait_progress (t);
    g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
    /* The name is saved, as at a crash, and the app goes away mid-copy. */
    while (g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
        g_key_file_load_from_file (saved, state_file, G_KEY_FILE_NONE, NULL);
        g_free (kept);
        kept = g_key_file_get_string (saved, "Transfer 0", "KeptName", NULL);
        if (kept != NULL)
          break;
      }
    g_assert_cmpstr (kept, ==, second);
    pas_transfer_queue_set_sessions (before, "server", NULL, 0);
    wait_state (t, PAS_TRANSFER_QUEUED);
  }
  {
    g_autoptr(PasTransferQueue) after = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransfer) restored = NULL;
    g_autofree char *destination = NULL;

    g_assert_true (pas_transfer_queue_load (after, &error));
    g_assert_no_error (error);
    restored = g_list_model_get_item (G_LIST_MODEL (after), 0);
    destination = pas_transfer_dup_destination (restored);
    g_assert_cmpstr (destination, ==, second);
    pas_transfer_set_interaction (restored, PAS_INTERACTION (interaction));
    pas_transfer_queue_set_sessions (after, "server", &f->sftp, 1);
    wait_settled (after);
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_DONE);
    g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
    assert_same_file (source, second);
    g_assert_false (g_file_test (second_partial, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (third, G_FILE_TEST_EXISTS));
    {
      g_autofree char *mine = NULL;
      g_assert_true (g_file_get_contents (target, &mine, NULL, NULL));
      g_assert_cmpstr (mine, ==, "mine");
    }
  }

  /* A failed item is saved as failed, with its reason, not as paused. */
  {
    g_autoptr(PasTransferQueue) before = pas_transfer_queue_new (state_file);
    g_autoptr(GFile) local = g_file_new_for_path (target);
    g_autoptr(PasTransfer) t = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, "/no/such/file.bin", local);
    g_autoptr(PasTransferQueue) after = NULL;
    g_autoptr(PasTransfer) restored = NULL;

    pas_transfer_queue_clear_finished (before);
    pas_transfer_queue_set_sessions (before, "server", &f->sftp, 1);
    pas_transfer_queue_add (before, t, "server");
    wait_state (t, PAS_TRANSFER_FAILED);
    pas_transfer_queue_set_sessions (before, "server", NULL, 0);
    g_clear_object (&before);
    after = pas_transfer_queue_new (state_file);
    g_assert_true (pas_transfer_queue_load (after, &error));
    g_assert_no_error (error);
    restored = g_list_model_get_item (G_LIST_MODEL (after), 0);
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_FAILED);
    g_assert_nonnull (pas_transfer_get_error (restored));
    g_assert_cmpstr (pas_transfer_get_error (restored)->message, ==, pas_transfer_get_error (t)->message);
  }
}

/* The same file queued twice to the same place: the second waits for the
 * first (they would share one .filepart), then finds its result as an
 * existing file and asks. */
static void
test_queue_same_target_waits (Fixture      *f,
                              gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "same-target-queue.ini");
  g_autofree char *source = path_in (f->remote, "twice.bin");
  g_autofree char *target = path_in (f->local, "twice.bin");
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasTransferQueue) queue = pas_transfer_queue_new (state_file);
  g_autoptr(GFile) local = g_file_new_for_path (target);
  g_autoptr(PasTransfer) first = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, source, local);
  g_autoptr(PasTransfer) second = pas_transfer_new (PAS_TRANSFER_DOWNLOAD, source, local);

  write_random (source, 4 * 1024 * 1024, 34);
  for (guint i = 0; i < 2; i++)
    {
      PasTransfer *t = i == 0 ? first : second;

      pas_transfer_set_conflict_policy (t, PAS_CONFLICT_ASK);
      pas_transfer_set_interaction (t, PAS_INTERACTION (interaction));
    }
  g_queue_push_tail (&interaction->conflict_answers, GINT_TO_POINTER (PAS_CONFLICT_OVERWRITE));
  pas_transfer_queue_set_speed_limit (queue, 4 * 1024 * 1024);
  pas_transfer_queue_set_sessions (queue, "server", &f->sftp, 1);
  pas_transfer_queue_add (queue, first, "server");
  pas_transfer_queue_add (queue, second, "server");
  wait_progress (first);
  g_assert_cmpint (pas_transfer_get_state (second), ==, PAS_TRANSFER_QUEUED);
  wait_settled (queue);
  g_assert_cmpint (pas_transfer_get_state (first), ==, PAS_TRANSFER_DONE);
  g_assert_cmpint (pas_transfer_get_state (second), ==, PAS_TRANSFER_DONE);
  g_assert_cmpuint (interaction->n_conflict_asks, ==, 1);
  assert_same_file (source, target);
}

static void
test_queue_survives_restart (Fixture      *f,
                             gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "state/queue.ini");
  g_autofree char *source = path_in (f->local, "up.bin");
  g_autofree char *target = path_in (f->remote, "up.bin");
  g_autofree char *paused_source = path_in (f->local, "later.bin");
  g_autofree char *paused_target = path_in (f->remote, "later.bin");
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTransfer) restored = NULL;
  g_autoptr(PasTransfer) restored_paused = NULL;

  write_random (source, 2 * 1024 * 1024, 40);
  write_random (paused_source, 1024, 41);
  {
    /* The app quits with an item queued for a server it is not connected to. */
    g_autoptr(PasTransferQueue) before = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransfer) t = new_transfer (PAS_TRANSFER_UPLOAD, target, source);
    g_autoptr(PasTransfer) p = new_transfer (PAS_TRANSFER_UPLOAD, paused_target, paused_source);

    pas_transfer_set_conflict_policy (t, PAS_CONFLICT_NEWER);
    /* "ask" is saved like any other policy (the window queues with it). */
    pas_transfer_set_conflict_policy (p, PAS_CONFLICT_ASK);
    pas_transfer_queue_add (before, t, "demo box");
    pas_transfer_queue_add (before, p, "demo box");
    pas_transfer_queue_pause (before, p);
    /* Saved off this thread, the changes of a second together: nothing yet,
     * then both items, while the queue still lives (as after a crash). */
    g_assert_false (g_file_test (state_file, G_FILE_TEST_EXISTS));
    {
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      g_autoptr(GKeyFile) saved = g_key_file_new ();

      while (!g_key_file_load_from_file (saved, state_file, G_KEY_FILE_NONE, NULL) &&
             g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10000);
        }
      g_assert_true (g_key_file_has_group (saved, "Transfer 1"));
    }
  }
  {
    g_autoptr(PasTransferQueue) after = pas_transfer_queue_new (state_file);

    g_assert_true (pas_transfer_queue_load (after, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (after)), ==, 2);
    restored = g_list_model_get_item (G_LIST_MODEL (after), 0);
    restored_paused = g_list_model_get_item (G_LIST_MODEL (after), 1);
    g_assert_cmpint (pas_transfer_get_direction (restored), ==, PAS_TRANSFER_UPLOAD);
    g_assert_cmpstr (pas_transfer_get_remote_path (restored), ==, target);
    g_assert_cmpstr (g_file_peek_path (pas_transfer_get_local (restored)), ==, source);
    g_assert_cmpint (pas_transfer_get_conflict_policy (restored), ==, PAS_CONFLICT_NEWER);
    g_assert_cmpint (pas_transfer_get_conflict_policy (restored_paused), ==, PAS_CONFLICT_ASK);
    g_assert_cmpstr (pas_transfer_queue_get_server (after, restored), ==, "demo box");
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_QUEUED);
    g_assert_cmpint (pas_transfer_get_state (restored_paused), ==, PAS_TRANSFER_PAUSED);

    pas_transfer_queue_set_sessions (after, "demo box", &f->sftp, 1);
    wait_settled (after);
    g_assert_cmpint (pas_transfer_get_state (restored), ==, PAS_TRANSFER_DONE);
    assert_same_file (source, target);
    g_assert_false (g_file_test (paused_target, G_FILE_TEST_EXISTS));
  }
  {
    /* Only the paused one is left in the file; a damaged file is set aside. */
    g_autoptr(PasTransferQueue) again = pas_transfer_queue_new (state_file);
    g_autoptr(PasTransferQueue) damaged = NULL;
    g_autofree char *aside = g_strconcat (state_file, ".damaged", NULL);

    g_assert_true (pas_transfer_queue_load (again, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
    g_assert_true (g_file_set_contents (state_file, "[unterminated\n\x01", -1, NULL));
    damaged = pas_transfer_queue_new (state_file);
    g_assert_false (pas_transfer_queue_load (damaged, &error));
    g_test_message ("%s", error->message);
    g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
  }
}

static void
test_queue_disconnect (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *state_file = path_in (f->local, "queue.ini");
  g_autofree char *source = path_in (f->remote, "big.bin");
  g_autofree char *target = path_in (f->local, "big.bin");
  g_autoptr(PasTransferQueue) queue = pas_transfer_queue_new (state_file);
  g_autoptr(PasTransfer) t = new_transfer (PAS_TRANSFER_DOWNLOAD, source, target);

  write_random (source, 8 * 1024 * 1024, 50);
  pas_transfer_queue_set_speed_limit (queue, 4 * 1024 * 1024);
  pas_transfer_queue_set_sessions (queue, "server", &f->sftp, 1);
  pas_transfer_queue_add (queue, t, "server");
  wait_progress (t);
  /* The tab closes: the item waits for its server… */
  pas_transfer_queue_set_sessions (queue, "server", NULL, 0);
  wait_state (t, PAS_TRANSFER_QUEUED);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  /* …and goes on when it is back. */
  pas_transfer_queue_set_speed_limit (queue, 0);
  pas_transfer_queue_set_sessions (queue, "server", &f->sftp, 1);
  wait_settled (queue);
  g_assert_cmpint (pas_transfer_get_state (t), ==, PAS_TRANSFER_DONE);
  assert_same_file (source, target);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  pas_test_use_local_resolver ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/transfer/queue/two-at-a-time", test_queue, NULL);
  ADD ("/transfer/queue/pause-cancel-retry", test_queue_pause_cancel_retry, NULL);
  ADD ("/transfer/queue/survives-restart", test_queue_survives_restart, NULL);
  ADD ("/transfer/queue/list-survives-restart", test_queue_list_survives_restart, NULL);
  ADD ("/transfer/queue/restart-keeps-answer", test_queue_restart_keeps_answer, NULL);
  ADD ("/transfer/queue/keep-both-continues", test_queue_keep_both_continues, NULL);
  ADD ("/transfer/queue/same-target-waits", test_queue_same_target_waits, NULL);
  ADD ("/transfer/queue/disconnect", test_queue_disconnect, NULL);
#undef ADD

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  return ret;
}
