import unittest

from server import greeting


class GreetingTest(unittest.TestCase):
    def test_default_name(self):
        self.assertTrue(greeting("").startswith("Hello, world!"))

    def test_name(self):
        self.assertTrue(greeting("ci").startswith("Hello, ci!"))


if __name__ == "__main__":
    unittest.main()
