package org.chtsl.util;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Binary files whose payload is checked before anyone reads it: a header (format name, version,
 * payload length, CRC-32C of the payload) followed by the payload. Files are written atomically
 * ({@link AtomicFiles}); {@link #open} reads the whole payload once to verify it, so a truncated or
 * altered file is rejected before a single value of it is used.
 */
public final class ChecksummedFiles {

    private ChecksummedFiles() {}

    /**
     * Writes a checksummed file atomically.
     *
     * @param target the file
     * @param format the format's name, checked on reading
     * @param version the format's version, checked on reading
     * @param payload writes the payload
     * @throws IOException if writing fails (the previous file, if any, is kept)
     */
    public static void write(Path target, String format, int version, AtomicFiles.Writer payload)
            throws IOException {
        AtomicFiles.writeFile(
                target,
                temporary -> {
                    int headerBytes = headerBytes(format);
                    CRC32C crc = new CRC32C();
                    long length;
                    try (OutputStream file = Files.newOutputStream(temporary)) {
                        DataOutputStream header = new DataOutputStream(file);
                        header.writeUTF(format);
                        header.writeInt(version);
                        header.writeLong(0); // length and checksum, patched below
                        header.writeLong(0);
                        header.flush();
                        Counting counting = new Counting(new BufferedOutputStream(file, 1 << 16));
                        DataOutputStream os = new DataOutputStream(new Checked(counting, crc));
                        payload.write(os);
                        os.flush();
                        length = counting.count;
                    }
                    try (FileChannel channel =
                            FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                        ByteBuffer patch = ByteBuffer.allocate(16);
                        patch.putLong(length).putLong(crc.getValue()).flip();
                        long at = headerBytes - 16L;
                        while (patch.hasRemaining()) {
                            at += channel.write(patch, at);
                        }
                        // on disk before the rename, so a crash of the machine keeps one version
                        channel.force(true);
                    }
                });
    }

    /**
     * Verifies a checksummed file and opens its payload.
     *
     * @param file the file
     * @param format the expected format name
     * @param version the expected version
     * @return a stream positioned at the payload's first byte
     * @throws CorruptFileException if the file is of another format or version, truncated, or its
     *     payload does not match its checksum
     * @throws IOException if reading fails
     */
    public static DataInputStream open(Path file, String format, int version) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return verified(file, channel, format, version);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Verifies the file through one channel, so what is checked is what is then read. */
    private static DataInputStream verified(
            Path file, FileChannel channel, String format, int version) throws IOException {
        long size = channel.size();
        long length;
        long expected;
        DataInputStream is = new DataInputStream(unclosed(channel));
        String found;
        int foundVersion;
        try {
            found = is.readUTF();
            foundVersion = is.readInt();
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new CorruptFileException(file + " is not a " + format + " file.");
        }
        if (!format.equals(found)) {
            throw new CorruptFileException(file + " is not a " + format + " file.");
        }
        if (foundVersion != version) {
            throw new CorruptFileException(
                    file
                            + " is a "
                            + format
                            + " file of version "
                            + foundVersion
                            + "; this chtsl reads version "
                            + version
                            + ".");
        }
        try {
            length = is.readLong();
            expected = is.readLong();
        } catch (EOFException e) {
            throw new CorruptFileException(file + " is truncated: its header is incomplete.");
        }
        long available = size - headerBytes(format);
        if (length != available) {
            throw new CorruptFileException(
                    file
                            + " is "
                            + (length > available ? "truncated" : "longer than it should be")
                            + ": its payload has "
                            + available
                            + " bytes, its header says "
                            + length
                            + ".");
        }
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        for (int read = is.read(buffer); read > 0; read = is.read(buffer)) {
            crc.update(buffer, 0, read);
        }
        if (crc.getValue() != expected) {
            throw new CorruptFileException(
                    file
                            + " is corrupt: its content does not match its checksum"
                            + " (CRC-32C "
                            + Long.toHexString(crc.getValue())
                            + ", header "
                            + Long.toHexString(expected)
                            + ").");
        }
        channel.position(headerBytes(format));
        return new DataInputStream(
                new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    }

    /** A buffered stream over a channel from its position, whose close leaves the channel open. */
    private static InputStream unclosed(FileChannel channel) {
        return new BufferedInputStream(Channels.newInputStream(new Unclosed(channel)), 1 << 16);
    }

    /** A channel view that ignores close. */
    private static final class Unclosed implements java.nio.channels.ReadableByteChannel {
        private final FileChannel channel;

        Unclosed(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            return channel.read(target);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            // the caller closes the channel
        }
    }

    private static InputStream buffered(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    private static int headerBytes(String format) {
        return 2 + format.getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 8;
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Feeds every byte written through it to a checksum. */
    private static final class Checked extends FilterOutputStream {
        private final CRC32C crc;

        Checked(OutputStream out, CRC32C crc) {
            super(out);
            this.crc = crc;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
        }
    }
}
