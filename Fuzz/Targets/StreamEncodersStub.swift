// The part of Streamer/Encoding/StreamEncoder.swift the config loader uses, without the encoders
// (their C libraries stay out of the fuzz build). Kept equal to it by Fuzz/build.sh's check.
enum StreamEncoders {
    static let opusDefaultBitrate = 96
    static let mp3DefaultBitrate = 128
}
