#pragma once

/* What the transfer tests share (transfer-fixture.c): a real sshd and a
 * connected SFTP session per case, files made and compared, a transfer run
 * to its end. */

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

G_BEGIN_DECLS

/* Test data: a direction, or one of these (three channels). */
#define SPLIT GINT_TO_POINTER (-1)
#define UPLOAD_SPLIT GINT_TO_POINTER (2)
typedef struct
{
  PasTestSshd    *sshd;
  PasConnection  *connection;
  PasSftpSession *sftp;
  char           *remote;   /* a folder on the "server" */
  char           *local;    /* a folder on "this computer" */
  guint           channels; /* SFTP channels a transfer runs on */
} Fixture;

PasTransferDirection
direction_of (gconstpointer data);
void
connect_fixture (Fixture *f);
void
fixture_set_up (Fixture      *f,
                gconstpointer data);
void
fixture_tear_down (Fixture      *f,
                   gconstpointer data);
char *
path_in (const char *dir,
         const char *name);
void
write_random (const char *path,
              gsize       size,
              guint32     seed);
char *
sha256_of (const char *path);
void
assert_same_file (const char *a,
                  const char *b);
void
assert_no_partial (const char *path);
void
set_mtime (const char *path,
           time_t      when);
struct stat
stat_of (const char *path);
PasTransfer *
new_transfer (PasTransferDirection direction,
              const char          *remote,
              const char          *local);
gboolean
run (Fixture     *f,
     PasTransfer *transfer,
     GError     **error);
guint
count_other_files (const char *dir,
                   const char *except);
void
count_cb (PasTransfer *transfer,
          guint       *count);
void
item_ended_cb (PasTransferQueue *queue,
               PasTransfer      *transfer,
               const char       *server,
               guint            *count);
void
list_roots (Fixture             *f,
            PasTransferDirection direction,
            const char         **source,
            const char         **destination);
PasTransfer *
new_list_transfer (Fixture             *f,
                   PasTransferDirection direction);

G_END_DECLS
