// HandOffQueue, the hand-off of a worker thread's results to the GUI thread: every result arrives,
// in order, and the GUI is told once for however many wait.
#include <QtTest>
#include <atomic>
#include <numeric>
#include <thread>

#include "HandOffQueue.h"

using namespace stdp::studio;

// The notice as the studio's workers send it: a signal without arguments, connected before the
// sending thread starts, so that no closure crosses the threads.
class Notice : public QObject {
    Q_OBJECT
  signals:
    void waiting();
};

class TestHandOffQueue : public QObject {
    Q_OBJECT
  private slots:
    void keepsOrderAndCoalescesNotices() {
        HandOffQueue<int> queue;
        int notices = 0;
        const auto notify = [&] { ++notices; };
        queue.push(1, notify);
        queue.push(2, notify);
        queue.push(3, notify);
        QCOMPARE(notices, 1);  // the first notice is still on its way: it brings all three
        QCOMPARE(queue.takeAll(), (std::vector<int>{1, 2, 3}));
        QVERIFY(queue.takeAll().empty());  // a notice after everything was taken finds nothing
        queue.push(4, notify);
        QCOMPARE(notices, 2);  // taken: the next result needs a notice of its own
        queue.push(5, notify);
        QCOMPARE(notices, 2);
        QCOMPARE(queue.takeAll(), (std::vector<int>{4, 5}));
    }

    // A producer thread against this one taking at each notice, as a worker and the GUI: nothing
    // is lost or reordered however the two interleave (run under ThreadSanitizer by
    // scripts/ci-tsan.sh).
    void nothingIsLostAcrossThreads() {
        constexpr int kResults = 5000;
        HandOffQueue<std::vector<int>> queue;  // heap payloads, as the studio's results are
        QObject receiver;
        std::vector<int> taken;
        int notices = 0;
        const auto take = [&] {
            ++notices;
            for (std::vector<int>& r : queue.takeAll())
                taken.insert(taken.end(), r.begin(), r.end());
        };
        Notice notice;
        QObject::connect(&notice, &Notice::waiting, &receiver, take, Qt::QueuedConnection);
        std::atomic<bool> done{false};
        std::thread producer([&] {
            for (int i = 0; i < kResults; ++i)
                queue.push({i}, [&] { emit notice.waiting(); });
            done.store(true);
        });
        while (!done.load())
            QCoreApplication::processEvents();
        producer.join();
        QCoreApplication::sendPostedEvents(&receiver);  // the notices posted last
        std::vector<int> expected(kResults);
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(taken, expected);
        QVERIFY(notices >= 1 && notices <= kResults);
        QVERIFY(queue.takeAll().empty());
    }
};

QTEST_GUILESS_MAIN(TestHandOffQueue)
#include "test_hand_off_queue.moc"
